import type { RuleModule } from './module.ts';

export const T2_RULES: RuleModule = {
  submission: {},
};
