import { createRequire } from 'node:module';
import type { CompatStatement, Identifier, SimpleSupportStatement } from '@mdn/browser-compat-data';

/**
 * What EdgeHTML 18 (the webview of retail Excel 2019 without WebView2) lacks, read from MDN's browser-compat-data
 * rather than remembered: every JavaScript built-in, static or prototype member, and every global of the web platform
 * (TextEncoder, structuredClone…) whose Edge support starts after 18. Only features that exist as named properties
 * are kept (behaviour sub-features such as "stable_sorting" cannot be removed or looked up by name).
 */

const bcd = createRequire(import.meta.url)('@mdn/browser-compat-data') as {
  javascript: { builtins: Identifier };
  api: Identifier;
};

const EDGEHTML_LAST = 18;

function supportedInEdge18(support: CompatStatement['support']['edge']): boolean {
  const statements: SimpleSupportStatement[] =
    support === undefined ? [] : Array.isArray(support) ? support : [support];
  return statements.some((statement) => {
    if (statement.flags || statement.prefix || statement.alternative_name) return false;
    if (typeof statement.version_added !== 'string') return false;
    const added = Number.parseFloat(statement.version_added.replace('≤', ''));
    const removed =
      typeof statement.version_removed === 'string' ? Number.parseFloat(statement.version_removed) : Infinity;
    return added <= EDGEHTML_LAST && removed > EDGEHTML_LAST;
  });
}

/** A built-in Edge 18 lacks: where it lives in a realm, and the name a bundle would use to reach it. */
export interface MissingBuiltin {
  /** MDN's path, e.g. "Array.flatMap", "globalThis", "Intl.ListFormat". */
  readonly feature: string;
  /** The property a bundle names to use it: "flatMap", "globalThis", "ListFormat". */
  readonly name: string;
  /** The owner the property is deleted from, as an expression in the realm: "Array.prototype", "globalThis", "Intl". */
  readonly owner: string;
}

function children(node: Identifier): [string, Identifier][] {
  return Object.entries(node).filter((entry): entry is [string, Identifier] => entry[0] !== '__compat');
}

/** Resolves where a feature lives in this (Node) realm: static member, prototype member, or not present at all. */
function ownerOf(parent: string, name: string): string | null {
  const scope = globalThis as unknown as Record<string, unknown>;
  // %TypedArray% is not a global: it is the prototype of every typed array constructor.
  const holder =
    parent === 'TypedArray'
      ? Object.getPrototypeOf(Int8Array)
      : parent.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], scope);
  const path = parent === 'TypedArray' ? 'Object.getPrototypeOf(Int8Array)' : parent;
  if (holder === undefined || holder === null) return null;
  if (Object.hasOwn(holder, name)) return path;
  if (typeof holder === 'function' && holder.prototype && Object.hasOwn(holder.prototype, name)) {
    return `${path}.prototype`;
  }
  return null;
}

/** Every JavaScript built-in MDN records as missing from Edge 18 and that this Node realm has (so it can be removed). */
export function builtinsMissingFromEdge18(): MissingBuiltin[] {
  const missing: MissingBuiltin[] = [];
  const visit = (node: Identifier, path: string[]) => {
    for (const [key, child] of children(node)) {
      const feature = [...path, key];
      const parentName = path.join('.');
      const isConstructorEntry = key === path[path.length - 1];
      if (child.__compat && !isConstructorEntry && !key.startsWith('@@')) {
        if (!supportedInEdge18(child.__compat.support.edge)) {
          const owner = path.length === 0 ? (key in globalThis ? 'globalThis' : null) : ownerOf(parentName, key);
          if (owner !== null) missing.push({ feature: feature.join('.'), name: key, owner });
          // A whole missing object: its members go with it.
          if (path.length === 0 || path[0] === 'Intl') continue;
        }
      }
      // Members of built-ins (depth 2); Intl's constructors have their own members (depth 3).
      if (path.length === 0 || (path[0] === 'Intl' && path.length === 1)) visit(child, feature);
    }
  };
  visit(bcd.javascript.builtins, []);
  return missing;
}

/** Globals of the web platform (interfaces and functions on window) that Edge 18 lacks, per MDN. */
export function webGlobalsMissingFromEdge18(): string[] {
  return children(bcd.api)
    .filter(([, node]) => node.__compat !== undefined && !supportedInEdge18(node.__compat.support.edge))
    .map(([name]) => name)
    .sort();
}

/** How a bundle reaches a missing feature: which names it reads from which objects, and which globals it names. */
export interface BundleReferences {
  /** `Object.fromEntries` → "Object.fromEntries"; `x.flatMap` → ".flatMap" (any object: a prototype member). */
  readonly members: ReadonlySet<string>;
  /** Free identifiers: `globalThis`, `TextEncoder`. */
  readonly identifiers: ReadonlySet<string>;
  /** Names the bundle tests for before use: `"captureStackTrace" in Error`, `typeof CompressionStream`. */
  readonly detected: ReadonlySet<string>;
}

type AstNode = { type: string; [key: string]: unknown };

const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** Walks an ESTree program (acorn's output) and records every reference that could reach a built-in. */
export function referencesOf(program: AstNode): BundleReferences {
  const members = new Set<string>();
  const identifiers = new Set<string>();
  const detected = new Set<string>();
  const propertyName = (node: AstNode): string | null => {
    const property = node.property as AstNode;
    if (!node.computed && property.type === 'Identifier') return property.name as string;
    if (property.type === 'Literal' && typeof property.value === 'string') return property.value;
    return null;
  };
  const visit = (node: AstNode, parent: AstNode | null, key: string) => {
    if (node.type === 'MemberExpression') {
      const name = propertyName(node);
      if (name !== null) {
        members.add(`.${name}`);
        const object = node.object as AstNode;
        if (object.type === 'Identifier') members.add(`${object.name as string}.${name}`);
        if (parent?.type === 'UnaryExpression' && parent.operator === 'typeof') detected.add(name);
      }
    }
    if (node.type === 'Identifier') {
      const isPropertyKey =
        (parent?.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
        (parent?.type === 'Property' && key === 'key' && !parent.computed) ||
        (parent?.type === 'MethodDefinition' && key === 'key' && !parent.computed);
      if (!isPropertyKey) identifiers.add(node.name as string);
      if (parent?.type === 'UnaryExpression' && parent.operator === 'typeof') detected.add(node.name as string);
    }
    if (node.type === 'BinaryExpression' && node.operator === 'in') {
      const left = node.left as AstNode;
      if (left.type === 'Literal' && typeof left.value === 'string') detected.add(left.value);
    }
    for (const [childKey, child] of Object.entries(node)) {
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visit(item, node, childKey);
      } else if (isNode(child)) visit(child, node, childKey);
    }
  };
  visit(program, null, '');
  return { members, identifiers, detected };
}

/** The missing built-ins a bundle references: statics by `Owner.name`, prototype members by `.name`, globals by name. */
export function missingBuiltinsReferenced(references: BundleReferences, missing: readonly MissingBuiltin[]) {
  return missing.filter((builtin) => {
    if (builtin.owner === 'globalThis') {
      return references.identifiers.has(builtin.name) || references.members.has(`globalThis.${builtin.name}`);
    }
    if (builtin.owner.endsWith('.prototype')) return references.members.has(`.${builtin.name}`);
    return references.members.has(`${builtin.owner}.${builtin.name}`);
  });
}

/**
 * Members of a web interface that Edge 18 lacks (e.g. Blob.prototype.text, Crypto.prototype.randomUUID,
 * URL.canParse), split into static and prototype members; sub-features that are not properties are left out.
 */
export function webMembersMissingFromEdge18(
  interfaceName: string,
  owner: { prototype: object },
): { statics: string[]; members: string[] } {
  const node = bcd.api[interfaceName];
  const statics: string[] = [];
  const members: string[] = [];
  if (!node) return { statics, members };
  for (const [key, child] of children(node)) {
    if (!child.__compat || supportedInEdge18(child.__compat.support.edge)) continue;
    if (key.endsWith('_static')) {
      const name = key.slice(0, -'_static'.length);
      if (name in owner) statics.push(name);
    } else if (key in owner.prototype) members.push(key);
  }
  return { statics, members };
}
