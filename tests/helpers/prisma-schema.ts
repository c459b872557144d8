import { readFileSync } from 'node:fs';

/**
 * A small reader of the schema.prisma files, enough for the drift tests: models, their scalar fields
 * (type, optional, @id, @unique, @default, @db native type), relations, @@unique and @@index.
 * `@prisma/internals` (getDMMF) is not a dependency, and the schema engine cannot be downloaded here,
 * so the files are read the way the SQLite drift test always did.
 */
export interface SchemaField {
  name: string;
  /** Int, BigInt, String, DateTime, Boolean, Bytes, …, or a model name for a relation. */
  type: string;
  optional: boolean;
  list: boolean;
  id: boolean;
  unique: boolean;
  /** The text inside @default(…), if any. */
  default?: string | undefined;
  /** The native type, as in `@db.Timestamptz(3)` → `Timestamptz(3)`. */
  dbType?: string | undefined;
  /** For a relation field that holds the foreign key: its columns and the referenced ones. */
  relation?: { fields: string[]; references: string[] } | undefined;
}

export interface SchemaModel {
  name: string;
  /** Scalar fields (columns). */
  fields: SchemaField[];
  /** Relation fields (no column of their own). */
  relations: SchemaField[];
  uniques: string[][];
  indexes: string[][];
}

export function readSchema(url: URL): { provider: string; models: SchemaModel[] } {
  return parseSchema(readFileSync(url, 'utf8'));
}

const list = (text: string) => text.split(',').map((c) => c.trim()).filter((c) => c !== '');

export function parseSchema(text: string): { provider: string; models: SchemaModel[] } {
  const provider = /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"(\w+)"/.exec(text)?.[1] ?? '';
  const modelNames = new Set([...text.matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1] as string));
  const models: SchemaModel[] = [];
  for (const m of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const model: SchemaModel = { name: m[1] as string, fields: [], relations: [], uniques: [], indexes: [] };
    for (const raw of (m[2] as string).split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const block = /^@@(unique|index)\(\[([^\]]+)\]/.exec(line);
      if (block) {
        (block[1] === 'unique' ? model.uniques : model.indexes).push(list(block[2] as string));
        continue;
      }
      const field = /^(\w+)\s+(\w+)(\[\]|\?)?(.*)$/.exec(line);
      if (!field) continue;
      const [, name, type, modifier, attrs] = field as unknown as [string, string, string, string | undefined, string];
      const relation = /@relation\(([^)]*)\)/.exec(attrs)?.[1];
      const fields = relation ? /fields:\s*\[([^\]]*)\]/.exec(relation)?.[1] : undefined;
      const references = relation ? /references:\s*\[([^\]]*)\]/.exec(relation)?.[1] : undefined;
      const parsed: SchemaField = {
        name,
        type,
        optional: modifier === '?',
        list: modifier === '[]',
        id: /@id\b/.test(attrs),
        unique: /@unique\b/.test(attrs),
        default: /@default\(((?:[^()]|\([^()]*\))*)\)/.exec(attrs)?.[1],
        dbType: /@db\.(\w+(?:\([^)]*\))?)/.exec(attrs)?.[1],
        relation: fields !== undefined && references !== undefined ? { fields: list(fields), references: list(references) } : undefined,
      };
      (modelNames.has(type) ? model.relations : model.fields).push(parsed);
    }
    models.push(model);
  }
  return { provider, models };
}
