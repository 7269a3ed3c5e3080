import type { RuleModule } from './module.ts';

export const T4_RULES: RuleModule = {
  submission: {},
};
