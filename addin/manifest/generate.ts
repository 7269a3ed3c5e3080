/**
 * The XML add-in manifest for Excel, built from one function for every environment: the committed manifest.xml is
 * this function's output for the local stack, and the deployment renders it for its CloudFront URL. Pure string
 * building so the CDK app and tests can call it without Office tooling.
 */

export interface ManifestOptions {
  /** Where dist/addin is served, e.g. https://localhost:3000 or https://d123.cloudfront.net (no trailing slash). */
  readonly addinBaseUrl: string;
  /** Four-part add-in version (Office requires n.n.n.n); defaults to 1.0.0.0. */
  readonly version?: string;
  /** Extra origins the task pane navigates to (the Cognito hosted UI domain in production). */
  readonly appDomains?: readonly string[];
}

/** Stable across environments: Office identifies the add-in by it, so a redeploy updates rather than duplicates. */
export const ADDIN_ID = '492bb642-b955-48f7-a77f-6a975e3acfaa';

/**
 * ExcelApi 1.8 is the newest set perpetual Excel 2019 has (Excel 2021 has 1.14, Microsoft 365 and the web the
 * latest). Everything the add-in needs at its core is in 1.8: data validation lists (1.8), sheet protection (1.2),
 * conditional formats (1.6), used ranges and null objects (1.4). Newer features (notes 1.18) are detected at run time.
 */
export const MIN_EXCEL_API = '1.8';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function normalizeBaseUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'https:') throw new Error(`Office add-ins must be served over HTTPS: ${raw}`);
  return url.href.replace(/\/+$/, '');
}

function normalizeVersion(version: string): string {
  if (!/^\d{1,5}(?:\.\d{1,5}){0,3}$/.test(version)) throw new Error(`Not an add-in version (n.n.n.n): ${version}`);
  const parts = version.split('.');
  while (parts.length < 4) parts.push('0');
  return parts.join('.');
}

interface Button {
  readonly id: string;
  readonly label: string;
  readonly tip: string;
  readonly icon: string;
  /** ExecuteFunction runs without the task pane; ShowTaskpane opens it. */
  readonly action: { readonly kind: 'function'; readonly name: string } | { readonly kind: 'taskpane' };
}

/** The ribbon's buttons; function names are registered by addin/commands/commands.ts with Office.actions.associate. */
export const RIBBON_BUTTONS: readonly Button[] = [
  {
    id: 'NewTemplate',
    label: 'Nuovo modello',
    tip: 'Inserisce nella cartella di lavoro i fogli T1–T6 del modello LEPS, con elenchi e formule.',
    icon: 'new',
    action: { kind: 'function', name: 'insertTemplate' },
  },
  {
    id: 'Validate',
    label: 'Valida',
    tip: 'Controlla tutta la cartella di lavoro e segna ogni problema sulla sua cella, con l’elenco nel foglio Controlli.',
    icon: 'validate',
    action: { kind: 'function', name: 'validateWorkbook' },
  },
  {
    id: 'DeleteRows',
    label: 'Elimina righe',
    tip: 'Elimina le righe selezionate di un foglio dati del modello (non la riga delle intestazioni), anche dove le colonne calcolate sono protette.',
    icon: 'delete-rows',
    action: { kind: 'function', name: 'deleteRows' },
  },
  {
    id: 'Submit',
    label: 'Invia',
    tip: 'Apre il pannello per inviare la rendicontazione e ricevere la ricevuta.',
    icon: 'submit',
    action: { kind: 'taskpane' },
  },
  {
    id: 'Pane',
    label: 'Pannello',
    tip: 'Mostra il pannello LEPS: accesso, scelta di Ambito e periodo, controlli e invio.',
    icon: 'pane',
    action: { kind: 'taskpane' },
  },
];

export const ICON_NAMES = ['app', 'new', 'validate', 'delete-rows', 'submit', 'pane'] as const;
export const ICON_SIZES = [16, 32, 64, 80, 128] as const;

export function iconPath(name: string, size: number): string {
  return `assets/${name}-${size}.png`;
}

function buttonXml(button: Button): string {
  const action =
    button.action.kind === 'function'
      ? `<Action xsi:type="ExecuteFunction">
                    <FunctionName>${escapeXml(button.action.name)}</FunctionName>
                  </Action>`
      : `<Action xsi:type="ShowTaskpane">
                    <TaskpaneId>LEPS.Taskpane</TaskpaneId>
                    <SourceLocation resid="Taskpane.Url"/>
                  </Action>`;
  return `                <Control xsi:type="Button" id="LEPS.${button.id}">
                  <Label resid="${button.id}.Label"/>
                  <Supertip>
                    <Title resid="${button.id}.Label"/>
                    <Description resid="${button.id}.Tip"/>
                  </Supertip>
                  <Icon>
                    <bt:Image size="16" resid="Icon.${button.icon}.16"/>
                    <bt:Image size="32" resid="Icon.${button.icon}.32"/>
                    <bt:Image size="80" resid="Icon.${button.icon}.80"/>
                  </Icon>
                  ${action}
                </Control>`;
}

export function renderManifest(options: ManifestOptions): string {
  const base = normalizeBaseUrl(options.addinBaseUrl);
  const version = normalizeVersion(options.version ?? '1.0.0.0');
  const url = (path: string): string => escapeXml(`${base}/${path}`);
  const domains = [base, ...(options.appDomains ?? []).map(normalizeBaseUrl)];
  const images = ICON_NAMES.filter((name) => name !== 'app').flatMap((name) =>
    [16, 32, 80].map(
      (size) => `        <bt:Image id="Icon.${name}.${size}" DefaultValue="${url(iconPath(name, size))}"/>`,
    ),
  );
  const shortStrings = [
    `        <bt:String id="Tab.Label" DefaultValue="LEPS"/>`,
    `        <bt:String id="Group.Label" DefaultValue="Rendicontazione LEPS"/>`,
    `        <bt:String id="GetStarted.Title" DefaultValue="Rendiconta LEPS è pronto"/>`,
    ...RIBBON_BUTTONS.map(
      (button) => `        <bt:String id="${button.id}.Label" DefaultValue="${escapeXml(button.label)}"/>`,
    ),
  ];
  const longStrings = [
    `        <bt:String id="GetStarted.Description" DefaultValue="${escapeXml('Apri la scheda LEPS: «Nuovo modello» inserisce i fogli, «Valida» controlla i dati, «Invia» li trasmette.')}"/>`,
    ...RIBBON_BUTTONS.map(
      (button) => `        <bt:String id="${button.id}.Tip" DefaultValue="${escapeXml(button.tip)}"/>`,
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by addin/manifest/generate.ts: do not edit by hand. -->
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0" xmlns:ov="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="TaskPaneApp">
  <Id>${ADDIN_ID}</Id>
  <Version>${version}</Version>
  <ProviderName>Rendiconta LEPS</ProviderName>
  <DefaultLocale>it-IT</DefaultLocale>
  <DisplayName DefaultValue="Rendiconta LEPS"/>
  <Description DefaultValue="${escapeXml('Rendicontazione LEPS degli Ambiti Territoriali Sociali: modello T1–T6, controlli sulle celle, invio con ricevuta.')}"/>
  <IconUrl DefaultValue="${url(iconPath('app', 32))}"/>
  <HighResolutionIconUrl DefaultValue="${url(iconPath('app', 64))}"/>
  <SupportUrl DefaultValue="${url('help.html')}"/>
  <AppDomains>
${domains.map((domain) => `    <AppDomain>${escapeXml(domain)}</AppDomain>`).join('\n')}
  </AppDomains>
  <Hosts>
    <Host Name="Workbook"/>
  </Hosts>
  <Requirements>
    <Sets DefaultMinVersion="1.1">
      <Set Name="ExcelApi" MinVersion="${MIN_EXCEL_API}"/>
    </Sets>
  </Requirements>
  <DefaultSettings>
    <SourceLocation DefaultValue="${url('taskpane.html')}"/>
  </DefaultSettings>
  <Permissions>ReadWriteDocument</Permissions>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="VersionOverridesV1_0">
    <Hosts>
      <Host xsi:type="Workbook">
        <DesktopFormFactor>
          <GetStarted>
            <Title resid="GetStarted.Title"/>
            <Description resid="GetStarted.Description"/>
            <LearnMoreUrl resid="Help.Url"/>
          </GetStarted>
          <FunctionFile resid="Commands.Url"/>
          <ExtensionPoint xsi:type="PrimaryCommandSurface">
            <CustomTab id="LEPS.Tab">
              <Group id="LEPS.Group">
                <Label resid="Group.Label"/>
                <Icon>
                  <bt:Image size="16" resid="Icon.pane.16"/>
                  <bt:Image size="32" resid="Icon.pane.32"/>
                  <bt:Image size="80" resid="Icon.pane.80"/>
                </Icon>
${RIBBON_BUTTONS.map(buttonXml).join('\n')}
              </Group>
              <Label resid="Tab.Label"/>
            </CustomTab>
          </ExtensionPoint>
        </DesktopFormFactor>
      </Host>
    </Hosts>
    <Resources>
      <bt:Images>
${images.join('\n')}
      </bt:Images>
      <bt:Urls>
        <bt:Url id="Commands.Url" DefaultValue="${url('commands.html')}"/>
        <bt:Url id="Taskpane.Url" DefaultValue="${url('taskpane.html')}"/>
        <bt:Url id="Help.Url" DefaultValue="${url('help.html')}"/>
      </bt:Urls>
      <bt:ShortStrings>
${shortStrings.join('\n')}
      </bt:ShortStrings>
      <bt:LongStrings>
${longStrings.join('\n')}
      </bt:LongStrings>
    </Resources>
  </VersionOverrides>
</OfficeApp>
`;
}

/** The committed manifest.xml: the local stack's address. */
export const LOCAL_ADDIN_BASE_URL = 'https://localhost:3000';
