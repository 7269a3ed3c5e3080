import type { RuleModule } from './module.ts';

export const T6_RULES: RuleModule = {
  submission: {},
};
