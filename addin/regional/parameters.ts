import type { RegionParameters } from '../../shared/checks/params.ts';
import type { RegionParametersResponse } from '../../shared/contract/region-parameters.ts';
import { editableText, parameterRows, readEdit, versionLine } from './parameters-model.ts';

/**
 * The Region's check parameters in the regional panel: a table of every parameter with its default and the Region's
 * value, and the overrides as JSON text the reviewer edits and saves (PUT with If-Match, so two reviewers never
 * overwrite each other unseen). DOM calls only (textContent, never innerHTML).
 */

export type ParametersAnswer =
  | { readonly ok: true; readonly body: RegionParametersResponse }
  | { readonly ok: false; readonly message: string; readonly details?: readonly string[] };

/** GET and PUT /v1/regions/{region}/parameters, as the panel's API client answers them. */
export interface RegionParametersApi {
  get(region: string): Promise<ParametersAnswer>;
  /** `version`: the one shown (0 when none was set), sent as If-Match. */
  put(region: string, parameters: RegionParameters, version: number): Promise<ParametersAnswer>;
}

export interface ParametersNotice {
  readonly kind: 'info' | 'success' | 'error';
  readonly text: string;
  readonly details?: readonly string[];
}

export interface ParametersSectionDeps {
  readonly region: string;
  readonly api: RegionParametersApi;
  readonly show: (notice: ParametersNotice) => void;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface ParametersSection {
  readonly element: HTMLElement;
  readonly buttons: readonly HTMLButtonElement[];
  /** Reads the Region's parameters and shows them. */
  load(): Promise<void>;
  unmount(): void;
}

export function mountParametersSection(container: HTMLElement, deps: ParametersSectionDeps): ParametersSection {
  const root = element('div', { class: 'regional-parameters', id: 'regional-parameters' });
  const heading = element('h3', {}, 'Parametri dei controlli della Regione');
  const version = element('p', { id: 'regional-parameters-version' }, 'Parametri non ancora letti.');
  const table = element('table', { id: 'regional-parameters-table' });
  const help = element(
    'p',
    { id: 'regional-parameters-help' },
    'Scrivere in JSON solo i parametri da cambiare (ad es. {"udpMinFte": 2, "severityOverrides": {"T1.5": "error"}}); quelli non indicati usano i valori predefiniti. Le verifiche dell’API, del componente aggiuntivo e di rendiconta usano questi valori.',
  );
  const label = element('label', { for: 'regional-parameters-json' }, 'Parametri della Regione (JSON)');
  const text = element('textarea', {
    id: 'regional-parameters-json',
    rows: '8',
    spellcheck: 'false',
    'aria-describedby': 'regional-parameters-help',
  });
  const loadButton = element('button', { type: 'button', id: 'regional-parameters-load' }, 'Leggi parametri');
  const saveButton = element('button', { type: 'button', id: 'regional-parameters-save' }, 'Salva parametri');
  root.append(heading, version, table, help, label, text, loadButton, saveButton);
  container.append(root);

  let shownVersion: number | null = null;

  function render(body: RegionParametersResponse): void {
    shownVersion = body.version;
    version.textContent = versionLine(body);
    const parameters = body.parameters as RegionParameters;
    const head = element('tr');
    for (const title of ['Parametro', 'Predefinito', 'Regione']) head.append(element('th', { scope: 'col' }, title));
    const rows = parameterRows(parameters).map((row) => {
      const line = element('tr', { 'data-key': row.key, ...(row.regionValue ? { 'data-region': 'set' } : {}) });
      line.append(
        element('th', { scope: 'row' }, row.label),
        element('td', {}, row.defaultValue),
        element('td', {}, row.regionValue ?? '(predefinito)'),
      );
      return line;
    });
    table.replaceChildren(element('thead'), element('tbody'));
    table.tHead?.append(head);
    table.tBodies[0]?.append(...rows);
    text.value = editableText(parameters);
  }

  async function load(): Promise<void> {
    deps.show({ kind: 'info', text: 'Lettura dei parametri della Regione…' });
    const answer = await deps.api.get(deps.region);
    if (!answer.ok) {
      deps.show({ kind: 'error', text: answer.message, ...(answer.details ? { details: answer.details } : {}) });
      return;
    }
    render(answer.body);
    deps.show({ kind: 'success', text: versionLine(answer.body) });
  }

  async function save(): Promise<void> {
    if (shownVersion === null) {
      deps.show({ kind: 'error', text: 'Leggere prima i parametri della Regione, poi modificarli.' });
      return;
    }
    const edit = readEdit(text.value);
    if (!edit.ok) {
      deps.show({ kind: 'error', text: edit.message, details: edit.details });
      text.focus();
      return;
    }
    deps.show({ kind: 'info', text: 'Salvataggio dei parametri della Regione…' });
    const answer = await deps.api.put(deps.region, edit.parameters, shownVersion);
    if (!answer.ok) {
      deps.show({ kind: 'error', text: answer.message, ...(answer.details ? { details: answer.details } : {}) });
      return;
    }
    render(answer.body);
    deps.show({ kind: 'success', text: `Parametri salvati. ${versionLine(answer.body)}` });
  }

  const onLoad = (): void => void load();
  const onSave = (): void => void save();
  loadButton.addEventListener('click', onLoad);
  saveButton.addEventListener('click', onSave);

  return {
    element: root,
    buttons: [loadButton, saveButton],
    load,
    unmount: () => {
      loadButton.removeEventListener('click', onLoad);
      saveButton.removeEventListener('click', onSave);
      root.remove();
    },
  };
}
