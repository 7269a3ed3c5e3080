import type { RuleModule } from './module.ts';

export const T3_RULES: RuleModule = {
  submission: {},
};
