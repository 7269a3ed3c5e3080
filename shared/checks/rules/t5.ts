import type { RuleModule } from './module.ts';

export const T5_RULES: RuleModule = {
  submission: {},
};
