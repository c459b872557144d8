import { defineIntent, RECORDERS } from './intent.ts';

/* Undo and correct: they add reversing entries, but through their own grammar (an entry number or a reply). */

export const undo = defineIntent({
  intent: 'undo',
  verbs: ['撤销', '撤回'],
  label: '撤销',
  help: {
    summary: '撤销记录（回复某条记录发「撤销」也可以）',
    examples: ['撤销', '撤销 #123'],
    notes: ['撤销不会删除记录，而是记一笔相反的账。', '连发两次「撤销」不会接着往前撤；要撤更早的一条，写「撤销 #单号」。'],
  },
  permission: RECORDERS,
  writes: false,
});

export const correct = defineIntent({
  intent: 'correct',
  verbs: ['修改', '更正', '改'],
  label: '改单',
  topicWords: ['改单'],
  help: {
    summary: '改一条记录的数量或单价',
    examples: ['改 #123 数量 4', '改 #123 单价 25', '改 #123 数量 4 单价 25'],
    notes: ['改过的记录再改，会改最新的那一笔。'],
  },
  permission: RECORDERS,
  writes: false,
});
