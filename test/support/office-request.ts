import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { meterOver, type RealContext, type RequestMeter } from './request-meter.ts';

/**
 * Microsoft's own Office.js, from the npm package @microsoft/office-js, loaded in Node to serialise requests exactly
 * as Excel on the web receives them. The library is the one Office loads for Excel on the web
 * (dist/excel-web-16.00.js); it runs in a `vm` context with the few browser globals it reads at load. A request
 * context is made with a URL, so no Office host is needed, and its request executor is replaced: at `sync()` the
 * library builds the request body it would send and hands it to the executor, which records
 * `JSON.stringify(body)` — what RichApiMessageUtility.buildMessageArrayForIRequestExecutor posts — and answers
 * with no results, so nothing runs — except what Excel always answers and the library needs to go on: a sheet added
 * with `worksheets.add()` gets its id back (a GUID, as Excel's worksheet ids are), and the library then addresses it
 * as `worksheets.getItem(id)` in later requests, exactly as it does against Excel.
 *
 * Notes (ExcelApi 1.18) are newer than the last published package (1.1.110). They are added here the way the library
 * generates every collection (compare Worksheet.comments and CommentCollection.add/getItemOrNullObject in the same
 * file): a "Notes" property object path, an "Add" method object path with the cell address and the text, a
 * "GetItemOrNullObject" method object path and a "Delete" method action.
 */

interface OfficeGlobals {
  readonly Excel: { RequestContext: new (url: string) => OfficeContext };
}

/** The real context, with the executor Office.js keeps on it (not in its typings) and the notes it lacks. */
type OfficeContext = Excel.RequestContext & { _requestExecutor: unknown };

const NOTES_SHIM = `
(function () {
  var helper = OfficeExtension.BatchApiHelper;
  function Note() { return OfficeExtension.ClientObject.apply(this, arguments) || this; }
  Note.prototype = Object.create(OfficeExtension.ClientObject.prototype);
  Note.prototype.constructor = Note;
  Note.prototype.delete = function () { helper.invokeMethod(this, 'Delete', 0, [], 0, 0); };
  function NoteCollection() { return OfficeExtension.ClientObject.apply(this, arguments) || this; }
  NoteCollection.prototype = Object.create(OfficeExtension.ClientObject.prototype);
  NoteCollection.prototype.constructor = NoteCollection;
  NoteCollection.prototype.add = function (cellAddress, content) {
    return helper.createMethodObject(Note, this, 'Add', 0, [cellAddress, content], false, true, null, 0);
  };
  NoteCollection.prototype.getItemOrNullObject = function (key) {
    return helper.createMethodObject(Note, this, 'GetItemOrNullObject', 1, [key], false, false, null, 4);
  };
  Object.defineProperty(Excel.Worksheet.prototype, 'notes', {
    get: function () {
      if (!this.m_notes) this.m_notes = helper.createPropertyObject(NoteCollection, this, 'Notes', true, 4);
      return this.m_notes;
    },
    configurable: true,
  });
})();
`;

interface RequestBody {
  readonly Actions: ReadonlyArray<{ readonly Id: number; readonly ActionType: number; readonly ObjectPathId: number }>;
  readonly ObjectPaths: Readonly<
    Record<string, { readonly ObjectPathType: number; readonly Name: string; readonly ParentObjectPathId?: number }>
  >;
}

let sheetCounter = 0;

/** Excel's answer to the Instantiate action of each `worksheets.add()`: the new sheet's id, a braced GUID. */
function addedSheetIds(body: RequestBody): Array<{ ActionId: number; Value: { Id: string } }> {
  const results: Array<{ ActionId: number; Value: { Id: string } }> = [];
  for (const action of body.Actions) {
    if (action.ActionType !== 1) continue;
    const path = body.ObjectPaths[String(action.ObjectPathId)];
    const parent =
      path?.ParentObjectPathId === undefined ? undefined : body.ObjectPaths[String(path.ParentObjectPathId)];
    if (path?.ObjectPathType !== 3 || path.Name !== 'Add' || parent?.Name !== 'Worksheets') continue;
    sheetCounter++;
    const hex = sheetCounter.toString(16).toUpperCase().padStart(4, '0');
    results.push({ ActionId: action.Id, Value: { Id: `{00000000-${hex}-0000-C000-000000000046}` } });
  }
  return results;
}

let loaded: OfficeGlobals | undefined;

/** The path of the library Excel on the web loads, from the installed npm package. */
export function officeLibraryPath(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@microsoft/office-js/package.json');
  return join(dirname(packageJson), 'dist', 'excel-web-16.00.js');
}

/** Loads the library once per process. */
function office(): OfficeGlobals {
  if (loaded) return loaded;
  const sandbox: Record<string, unknown> = { console, setTimeout, clearTimeout, Promise };
  sandbox.window = sandbox;
  sandbox.self = sandbox;
  sandbox.navigator = { userAgent: 'node' };
  sandbox.location = { href: 'https://localhost/', protocol: 'https:', search: '', hash: '' };
  sandbox.document = {
    cookie: '',
    readyState: 'complete',
    addEventListener() {},
    getElementsByTagName: () => [],
    createElement: () => ({ setAttribute() {}, style: {} }),
  };
  vm.createContext(sandbox);
  vm.runInContext(readFileSync(officeLibraryPath(), 'utf8'), sandbox, { filename: 'excel-web-16.00.js' });
  vm.runInContext(NOTES_SHIM, sandbox, { filename: 'notes-shim.js' });
  loaded = sandbox as unknown as OfficeGlobals;
  return loaded;
}

/** A real Excel request context whose sync() records the request body instead of sending it. */
export function realContext(): RealContext & { readonly context: OfficeContext; lastBody: string } {
  const { Excel } = office();
  const context = new Excel.RequestContext('https://excel.invalid/');
  const state = { lastBody: '' };
  let captured: string | null = null;
  context._requestExecutor = {
    executeAsync(_customData: unknown, _flags: number, message: { Body: RequestBody }) {
      captured = JSON.stringify(message.Body);
      return Promise.resolve({
        HttpStatusCode: 200,
        ErrorCode: '',
        ErrorMessage: '',
        Headers: {},
        Body: { Results: addedSheetIds(message.Body) },
      });
    },
  };
  return {
    context,
    root: context as unknown as object,
    get lastBody() {
      return state.lastBody;
    },
    async measure(): Promise<number> {
      captured = null;
      await context.sync();
      if (captured === null) return 0;
      state.lastBody = captured;
      return Buffer.byteLength(captured, 'utf8');
    },
  };
}

/** A meter for the fake hosts: every request measured with the real library, none over Excel on the web's limit. */
export function officeRequestMeter(): RequestMeter {
  return meterOver(realContext);
}
