import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Headless LibreOffice with a private profile in a temporary folder, set to recalculate every formula of an .xlsx on
 * load (OOXMLRecalcMode = 0, "always"): by default it would keep the cached results the file carries.
 */
export interface LibreOffice {
  /**
   * Opens each input (.xlsx), recalculates, saves it as .xlsx in a fresh folder and returns the new paths, in order.
   * One soffice process converts them all: starting it is most of the cost.
   */
  convert(inputs: readonly string[]): Promise<string[]>;
  dispose(): void;
}

const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

export function startLibreOffice(): LibreOffice {
  const root = mkdtempSync(join(tmpdir(), 'rendiconta-lo-'));
  const profile = join(root, 'profile');
  mkdirSync(join(profile, 'user'), { recursive: true });
  writeFileSync(join(profile, 'user', 'registrymodifications.xcu'), RECALC_ALWAYS);
  let counter = 0;
  return {
    async convert(inputs: readonly string[]): Promise<string[]> {
      counter += 1;
      const outDir = join(root, `out-${counter}`);
      mkdirSync(outDir);
      const { stdout, stderr } = await run(
        'soffice',
        [
          `-env:UserInstallation=${pathToFileURL(profile).href}`,
          '--headless',
          '--norestore',
          '--nolockcheck',
          '--convert-to',
          'xlsx:Calc MS Excel 2007 XML',
          '--outdir',
          outDir,
          ...inputs,
        ],
        { timeout: 120_000 },
      );
      // soffice exits 0 even when it could not load a file: say which, with what it printed.
      const outputs = inputs.map((input) => join(outDir, basename(input)));
      const missing = inputs.filter((_input, index) => !existsSync(outputs[index] ?? ''));
      if (missing.length > 0) {
        throw new Error(`LibreOffice did not convert ${missing.join(', ')}:\n${stdout}\n${stderr}`);
      }
      return outputs;
    },
    dispose(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
