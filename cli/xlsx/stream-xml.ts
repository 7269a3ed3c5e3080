import { XlsxFileError } from './guard.ts';

/**
 * A push tokenizer for the XML parts of an .xlsx (SpreadsheetML), fed text chunk by chunk so a 40 MB worksheet is
 * never held whole. It knows elements, attributes, text, CDATA, comments and processing instructions; it refuses a
 * DOCTYPE (OOXML parts have none, and a DTD's entities are the classic expansion attack). Element and attribute names
 * lose their namespace prefix (`x:row` → `row`): SpreadsheetML names are unique within each part.
 *
 * Why not a general SAX parser: saxes (exceljs's own) takes 2.5 s on the 42 MB worksheet of a 100,000-row sheet and
 * exceljs's streaming WorkbookReader 11 s for the whole file on this machine, against the 5 s budget for reading and
 * checking it (docs/cli.md, `npm run bench -- xlsx`); this scanner jumps from `<` to `<` with indexOf.
 */

export interface XmlHandler {
  /** An element starts; `attributes` is the raw attribute text, read with `readAttributes`. */
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Character data between tags, entities decoded; may come in several pieces. */
  text(value: string): void;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g;

function fail(what: string): never {
  throw new XlsxFileError(`File non valido: la cartella di lavoro .xlsx non è leggibile (${what}).`);
}

/**
 * Decodes XML's predefined and numeric character references, after the end-of-line handling every XML processor
 * applies (XML 1.0 §2.11: a literal CR LF or lone CR is read as LF; a `&#13;` reference stays a CR).
 */
export function decodeEntities(raw: string): string {
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_match, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) fail('riferimento a carattere non valido');
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body];
    if (named === undefined) fail(`entità XML sconosciuta "${body.slice(0, 20)}"`);
    return named;
  });
}

const localName = (name: string): string => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The attributes of a tag by local name (`r:id` → `id`), values decoded; namespace declarations left out. */
export function readAttributes(raw: string): Map<string, string> {
  const attributes = new Map<string, string>();
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(raw); match; match = ATTRIBUTE.exec(raw)) {
    const name = match[1] ?? '';
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    attributes.set(localName(name), decodeEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

/**
 * One attribute's value, without building a map: the hot path reads `r`, `t` and `s` of a million cells. The name
 * must be preceded by whitespace or a prefix colon, so `s` does not match inside `ss="…"`.
 */
export function attributeValue(raw: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = raw.indexOf(`${name}=`, from);
    if (at < 0) return undefined;
    const before = at === 0 ? ' ' : raw[at - 1];
    const quote = raw[at + name.length + 1];
    if ((before === ' ' || before === '\t' || before === '\n' || before === '\r' || before === ':') && quote) {
      if (quote === '"' || quote === "'") {
        const end = raw.indexOf(quote, at + name.length + 2);
        if (end < 0) return undefined;
        return decodeEntities(raw.slice(at + name.length + 2, end));
      }
    }
    from = at + name.length + 1;
  }
}

/** Finds the `>` that ends a tag starting at `from`, skipping quoted attribute values; -1 when not yet in the text. */
function tagEnd(text: string, from: number): number {
  const length = text.length;
  for (let index = from; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 62 /* > */) return index;
    if (code === 34 /* " */ || code === 39 /* ' */) {
      const closing = text.indexOf(code === 34 ? '"' : "'", index + 1);
      if (closing < 0) return -1;
      index = closing;
    }
  }
  return -1;
}

/** Where a tag's name ends: the first whitespace, `/` or `>` after `from`. */
function nameEnd(text: string, from: number, limit: number): number {
  for (let index = from; index < limit; index++) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 9 || code === 10 || code === 13 || code === 47 || code === 62) return index;
  }
  return limit;
}

export class XmlScanner {
  private pending = '';
  private depth = 0;

  constructor(private readonly handler: XmlHandler) {}

  /** Feeds the next piece of the document (whole characters: decode bytes with a streaming UTF-8 decoder first). */
  write(chunk: string): void {
    const text = this.pending.length > 0 ? this.pending + chunk : chunk;
    const handler = this.handler;
    let position = 0;
    const length = text.length;
    while (position < length) {
      const lt = text.indexOf('<', position);
      if (lt < 0) {
        // Text may continue in the next chunk; an entity may be cut, so keep it all.
        break;
      }
      if (lt > position) handler.text(decodeEntities(text.slice(position, lt)));
      position = lt;
      const next = text.charCodeAt(lt + 1);
      if (Number.isNaN(next)) break;
      if (next === 47 /* / */) {
        const gt = text.indexOf('>', lt + 2);
        if (gt < 0) break;
        const name = text.slice(lt + 2, gt);
        handler.close(localName(text.charCodeAt(gt - 1) > 32 ? name : name.trim()));
        this.depth--;
        position = gt + 1;
      } else if (next === 63 /* ? */) {
        const end = text.indexOf('?>', lt + 2);
        if (end < 0) break;
        position = end + 2;
      } else if (next === 33 /* ! */) {
        if (text.startsWith('<!--', lt)) {
          const end = text.indexOf('-->', lt + 4);
          if (end < 0) break;
          position = end + 3;
        } else if (text.startsWith('<![CDATA[', lt)) {
          const end = text.indexOf(']]>', lt + 9);
          if (end < 0) break;
          handler.text(text.slice(lt + 9, end));
          position = end + 3;
        } else if (lt + 9 > length) {
          break;
        } else {
          fail('dichiarazione DOCTYPE non ammessa');
        }
      } else {
        const gt = tagEnd(text, lt + 1);
        if (gt < 0) break;
        const selfClosing = text.charCodeAt(gt - 1) === 47;
        const end = selfClosing ? gt - 1 : gt;
        const afterName = nameEnd(text, lt + 1, end);
        const name = localName(text.slice(lt + 1, afterName));
        if (name === '') fail('tag senza nome');
        handler.open(name, afterName < end ? text.slice(afterName, end) : '', selfClosing);
        if (!selfClosing) this.depth++;
        position = gt + 1;
      }
    }
    // Keep the unfinished tail; text without a following `<` is held until the next chunk, so a cut entity decodes.
    this.pending = text.slice(position);
    if (this.pending.length > 16 * 1024 * 1024) fail('elemento XML troppo lungo');
  }

  /** The document ended: anything left unfinished is a truncated part. */
  end(): void {
    if (this.pending.trim() !== '' || this.depth > 0) fail('parte XML incompleta');
    this.pending = '';
  }
}
