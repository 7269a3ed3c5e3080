import { LEPS_ATS } from './leps-ats.ts';
import type { TemplateDef } from './types.ts';

/**
 * The published template versions, held side by side: the ministry changes its models every year, and a workbook or a
 * return made on an earlier version is read and checked against that version's own columns, headers and code lists
 * (the checks' S.2 then says a newer one exists). Publishing a version is adding its definition to PUBLISHED.
 */

/** The versions this build publishes. A new version goes here; the earlier ones stay. */
const PUBLISHED: readonly TemplateDef[] = [LEPS_ATS];

/** Dotted versions ("2025.1", "2026.2") part by part as numbers, so 2025.10 follows 2025.9. */
function compareVersions(left: string, right: string): number {
  const a = left.split('.');
  const b = right.split('.');
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = Number(a[index] ?? 0) - Number(b[index] ?? 0);
    if (difference !== 0 && !Number.isNaN(difference)) return difference;
  }
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Newest first: by publication date, then by version (a later version published the same day comes first). */
function newestFirst(left: TemplateDef, right: TemplateDef): number {
  if (left.publishedAt !== right.publishedAt) return left.publishedAt < right.publishedAt ? 1 : -1;
  return compareVersions(right.version, left.version);
}

const templates: TemplateDef[] = [...PUBLISHED].sort(newestFirst);
let revision = 0;

/** Every published template, newest version first for each id. A live view: it follows registerTemplate. */
export const TEMPLATES: readonly TemplateDef[] = templates;

/** Changes whenever a version is registered or withdrawn, so what is derived from TEMPLATES knows to derive again. */
export function templatesRevision(): number {
  return revision;
}

export function findTemplate(id: string, version?: string): TemplateDef | undefined {
  return templates.find((template) => template.id === id && (version === undefined || template.version === version));
}

/** The newest published version of a template: the one a new workbook is written on. */
export function latestTemplate(id: string = LEPS_ATS.id): TemplateDef {
  const latest = findTemplate(id);
  if (!latest) throw new Error(`No published template ${id}`);
  return latest;
}

/**
 * The version a return naming (id, version) is read and checked on: that version when it is published, else the newest
 * of its id, else the newest LEPS-ATS (the checks' S.2 then says which version to use).
 */
export function templateToCheck(id: string, version: string): TemplateDef {
  return findTemplate(id, version) ?? findTemplate(id) ?? latestTemplate();
}

/** The newer version a template has been superseded by; undefined when it is the latest of its id. */
export function supersededBy(template: TemplateDef): TemplateDef | undefined {
  const latest = findTemplate(template.id);
  return latest && latest !== template ? latest : undefined;
}

/**
 * Publishes one more version beside PUBLISHED until the returned function withdraws it: the seam through which the
 * tests prove that several versions live side by side with a version of their own. Refuses a version already there.
 */
export function registerTemplate(template: TemplateDef): () => void {
  if (findTemplate(template.id, template.version)) {
    throw new Error(`Template ${template.id} ${template.version} is already published`);
  }
  templates.push(template);
  templates.sort(newestFirst);
  revision += 1;
  return () => {
    const index = templates.indexOf(template);
    if (index < 0) return;
    templates.splice(index, 1);
    revision += 1;
  };
}
