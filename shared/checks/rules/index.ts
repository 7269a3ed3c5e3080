import { compareRuleIds, ruleDef } from '../catalogue.ts';
import type { RegionalRule, SubmissionRule } from '../types.ts';
import type { RuleModule } from './module.ts';
import { SUBMISSION_LEVEL } from './s.ts';
import { T1_RULES } from './t1.ts';
import { T2_RULES } from './t2.ts';
import { T3_RULES } from './t3.ts';
import { T4_RULES } from './t4.ts';
import { T5_RULES } from './t5.ts';
import { T6_RULES } from './t6.ts';

const MODULES: readonly RuleModule[] = [T1_RULES, T2_RULES, T3_RULES, T4_RULES, T5_RULES, T6_RULES, SUBMISSION_LEVEL];

/** Rules reported by the engine (S.2) or while reading cells (normalize.ts) rather than by a module. */
export const COLUMN_LEVEL_RULES: readonly string[] = [
  'T1.1',
  'T2.0',
  'T3.0',
  'T4.0',
  'T5.0',
  'T6.0',
  'S.2',
  'S.3',
  'S.5',
];

export const SUBMISSION_RULES: readonly SubmissionRule[] = MODULES.flatMap((module) =>
  Object.entries(module.submission ?? {}).map(([id, run]): SubmissionRule => {
    const definition = ruleDef(id);
    return { ...definition, scope: definition.scope === 'regional' ? 'submission' : definition.scope, run };
  }),
).sort((left, right) => compareRuleIds(left.id, right.id));

export const REGIONAL_RULES: readonly RegionalRule[] = MODULES.flatMap((module) =>
  Object.entries(module.regional ?? {}).map(([id, run]): RegionalRule => ({ ...ruleDef(id), scope: 'regional', run })),
).sort((left, right) => compareRuleIds(left.id, right.id));
