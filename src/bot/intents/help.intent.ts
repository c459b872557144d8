import { defineIntent, EVERYONE } from './intent.ts';

export const help = defineIntent({
  intent: 'help',
  verbs: ['帮助', '说明', '怎么用', 'help', '?'],
  label: '帮助',
  help: {
    summary: '看帮助',
    examples: ['帮助', '帮助 进货'],
  },
  permission: EVERYONE,
  writes: false,
});
