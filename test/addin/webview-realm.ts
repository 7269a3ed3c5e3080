import { webcrypto } from 'node:crypto';
import vm from 'node:vm';
import {
  builtinsMissingFromEdge18,
  type MissingBuiltin,
  webGlobalsMissingFromEdge18,
  webMembersMissingFromEdge18,
} from './webview-gaps.ts';

/**
 * A JavaScript realm shaped like EdgeHTML 18: a fresh V8 context (ECMAScript built-ins only, none of Node's), with
 * every built-in MDN records as missing from Edge 18 deleted, and only the web platform pieces Edge 18 has that the
 * bundles touch (URL, fetch, crypto, storage, a minimal document). The Office object is a recorder.
 */

export const EDGE18_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.17763';
export const IE11_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; rv:11.0) like Gecko';

export interface FakeElement {
  id: string;
  textContent: string;
  children: FakeElement[];
  attributes: Map<string, string>;
  listeners: Map<string, (() => void)[]>;
}

export interface OfficeRecorder {
  readyCallbacks: ((info: { host: string | null; platform: string | null }) => void)[];
  associated: Map<string, (event: { completed(): void }) => unknown>;
  dialogs: string[];
  /** What the next dialog does once open: the user clicks "Chiudi" (message) or closes it (event). */
  dialogBehaviour: 'message' | 'event' | 'fail';
}

export interface Edge18Realm {
  readonly context: vm.Context;
  readonly office: OfficeRecorder;
  readonly elements: Map<string, FakeElement>;
  /** Built-ins that could not be removed (non-configurable properties such as well-known symbols). */
  readonly kept: readonly MissingBuiltin[];
  run(code: string, filename: string): unknown;
  evaluate(expression: string): unknown;
}

function element(id: string): FakeElement {
  return { id, textContent: '', children: [], attributes: new Map(), listeners: new Map() };
}

function fakeDocument(elements: Map<string, FakeElement>, page: string | null) {
  const root = element('html');
  if (page) root.attributes.set('data-page', page);
  const asNode = (node: FakeElement) => ({
    get firstChild() {
      return node.children[0] ?? null;
    },
    removeChild: (child: unknown) => {
      node.children = node.children.filter((entry) => entry !== (child as { node: FakeElement }).node);
    },
    appendChild: (child: { node: FakeElement }) => {
      node.children.push(child.node);
      node.textContent += child.node.textContent;
    },
    setAttribute: (name: string, value: string) => node.attributes.set(name, value),
    getAttribute: (name: string) => node.attributes.get(name) ?? null,
    removeAttribute: (name: string) => node.attributes.delete(name),
    addEventListener: (type: string, listener: () => void) =>
      node.listeners.set(type, [...(node.listeners.get(type) ?? []), listener]),
    set textContent(text: string) {
      node.textContent = text;
      node.children = [];
    },
    get textContent() {
      return node.textContent;
    },
    dataset: {},
    node,
  });
  return {
    readyState: 'interactive',
    documentElement: asNode(root),
    getElementById: (id: string) => {
      const found = elements.get(id);
      return found ? asNode(found) : null;
    },
    createElement: (tag: string) => asNode(element(tag)),
    createTextNode: (text: string) => ({ node: { ...element('#text'), textContent: text } }),
    addEventListener: () => undefined,
  };
}

function storage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (name) => values.get(name) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (name) => void values.delete(name),
    setItem: (name, value) => void values.set(name, String(value)),
  };
}

function officeRecorder(): { recorder: OfficeRecorder; office: unknown } {
  const recorder: OfficeRecorder = {
    readyCallbacks: [],
    associated: new Map(),
    dialogs: [],
    dialogBehaviour: 'message',
  };
  const office = {
    HostType: { Excel: 'Excel' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
    onReady(callback?: (info: { host: string | null; platform: string | null }) => void) {
      if (callback) recorder.readyCallbacks.push(callback);
      return Promise.resolve({ host: null, platform: null });
    },
    actions: {
      associate(name: string, handler: (event: { completed(): void }) => unknown) {
        recorder.associated.set(name, handler);
      },
    },
    context: {
      requirements: { isSetSupported: (name: string, version: string) => name === 'ExcelApi' && version <= '1.8' },
      ui: {
        displayDialogAsync(url: string, _options: unknown, callback: (result: unknown) => void) {
          recorder.dialogs.push(url);
          if (recorder.dialogBehaviour === 'fail') {
            callback({ status: 'failed', error: { code: 12007, message: 'Dialog già aperto' } });
            return;
          }
          const handlers = new Map<string, (argument: unknown) => void>();
          callback({
            status: 'succeeded',
            value: {
              close: () => undefined,
              addEventHandler: (type: string, handler: (argument: unknown) => void) => handlers.set(type, handler),
            },
          });
          setTimeout(() => {
            if (recorder.dialogBehaviour === 'message') handlers.get('dialogMessageReceived')?.({ message: 'chiudi' });
            else handlers.get('dialogEventReceived')?.({ error: 12006 });
          }, 0);
        },
      },
    },
  };
  return { recorder, office };
}

/**
 * Node's web classes as Edge 18 has them: a subclass whose members MDN marks as missing from Edge 18 are shadowed with
 * undefined (Blob.prototype.text, Response.json, URL.canParse…), so `typeof blob.text` is "undefined" as there.
 */
function asInEdge18<T extends abstract new (...args: never[]) => object>(name: string, base: T): T {
  const subclass = class extends (base as unknown as new (...args: unknown[]) => object) {} as unknown as T;
  Object.defineProperty(subclass, 'name', { value: name });
  const missing = webMembersMissingFromEdge18(name, base as unknown as { prototype: object });
  for (const member of missing.members) Object.defineProperty(subclass.prototype, member, { value: undefined });
  for (const member of missing.statics) Object.defineProperty(subclass, member, { value: undefined });
  return subclass;
}

const EdgeResponse = asInEdge18('Response', Response);

/** crypto as in Edge 18: getRandomValues and subtle, without randomUUID (Edge 92). */
function edge18Crypto(): unknown {
  const missing = webMembersMissingFromEdge18('Crypto', { prototype: Object.getPrototypeOf(webcrypto) });
  const crypto: Record<string, unknown> = {
    getRandomValues: <T extends ArrayBufferView>(array: T) => webcrypto.getRandomValues(array as never) as T,
    subtle: webcrypto.subtle,
  };
  for (const member of missing.members) delete crypto[member];
  return crypto;
}

export interface RealmOptions {
  readonly userAgent?: string;
  readonly page?: string;
  /** Element ids the page has (e.g. "app", "host-status"). */
  readonly elementIds?: readonly string[];
  readonly href?: string;
  /** Extra globals (e.g. a fake Excel). */
  readonly globals?: Record<string, unknown>;
  /** What fetch answers (the ISTAT list). */
  readonly fetch?: (url: string) => Promise<Response>;
}

export function edge18Realm(options: RealmOptions = {}): Edge18Realm {
  const elements = new Map((options.elementIds ?? []).map((id) => [id, element(id)]));
  const { recorder, office } = officeRecorder();
  const href = options.href ?? 'https://localhost:3000/taskpane.html';
  const sandbox: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    URL: asInEdge18('URL', URL),
    URLSearchParams: asInEdge18('URLSearchParams', URLSearchParams),
    Blob: asInEdge18('Blob', Blob),
    crypto: edge18Crypto(),
    fetch: async (url: string) => {
      const answer = await (options.fetch ?? (async () => new Response('', { status: 404 })))(url);
      return new EdgeResponse(await answer.arrayBuffer(), { status: answer.status, headers: answer.headers });
    },
    Response: EdgeResponse,
    Headers: asInEdge18('Headers', Headers),
    navigator: { userAgent: options.userAgent ?? EDGE18_USER_AGENT, language: 'it-IT' },
    location: new URL(href),
    document: fakeDocument(elements, options.page ?? null),
    localStorage: storage(),
    sessionStorage: storage(),
    Event: class {
      constructor(readonly type: string) {}
    },
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => true,
    Office: office,
    ...options.globals,
  };
  const context = vm.createContext(sandbox);
  vm.runInContext('var window = this; var self = this;', context);
  const missing = builtinsMissingFromEdge18();
  const kept: MissingBuiltin[] = [];
  for (const builtin of missing) {
    // The owner is looked up in the realm itself; globalThis last, since later deletions need it.
    if (builtin.feature === 'globalThis') continue;
    const removed = vm.runInContext(`delete ${builtin.owner}[${JSON.stringify(builtin.name)}]`, context) as boolean;
    if (!removed) kept.push(builtin);
  }
  vm.runInContext('delete this.globalThis', context);
  const leftovers = webGlobalsMissingFromEdge18().filter((name) => name in sandbox);
  if (leftovers.length > 0) throw new Error(`Edge 18 lacks ${leftovers.join(', ')}, but the realm has them`);
  return {
    context,
    office: recorder,
    elements,
    kept,
    run: (code, filename) => vm.runInContext(code, context, { filename }),
    evaluate: (expression) => vm.runInContext(expression, context),
  };
}
