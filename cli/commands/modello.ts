import { writeFile } from 'node:fs/promises';
import { findTemplate, latestTemplate } from '../../shared/template/index.ts';
import { templateFileName } from '../../shared/workbook/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { templateXlsx } from '../xlsx/write-template.ts';

export async function modelloCommand(
  file: string | undefined,
  options: { modello?: string; versione?: string },
): Promise<number> {
  const id = options.modello ?? latestTemplate().id;
  const template = findTemplate(id, options.versione);
  if (!template) throw new CliError(`Modello "${id}" ${options.versione ?? ''} non pubblicato.`);
  const target = file ?? templateFileName(template);
  try {
    await writeFile(target, await templateXlsx(template));
  } catch {
    throw new CliError(`Impossibile scrivere "${target}".`);
  }
  process.stdout.write(`Modello ${template.id} versione ${template.version} scritto in ${target}.\n`);
  return EXIT.ok;
}
