/**
 * What a fake Excel host needs to measure its requests as the real Office.js library would send them, without any
 * Node import (the fake hosts are also bundled into browser test pages, which run without a meter).
 *
 * A meter mirrors every call the add-in makes on the fake context onto a real `Excel.RequestContext` (Microsoft's
 * library, see test/support/office-request.ts): property reads that navigate (`workbook`, `worksheets`, `format`…),
 * method calls and property writes go to both, in the same order; data (loaded values, arrays of items) comes from the
 * fake alone. At `sync()` the real context serialises its pending request exactly as it would for Excel, the meter
 * records its size, and a request over Excel on the web's limit fails the batch before the fake applies anything —
 * as Excel refuses the whole request.
 */

/**
 * "Excel on the web has a payload size limit for requests and responses of 5MB" (Microsoft, Resource limits and
 * performance optimization for Office Add-ins, section Excel add-ins). The page does not say which megabyte: the
 * smaller reading (5,000,000 bytes) is the one a request must respect.
 */
export const EXCEL_WEB_PAYLOAD_LIMIT = 5_000_000;

export interface RequestMeter {
  /** Bytes of every request sent so far (UTF-8 of the JSON body Office.js posts), in order. */
  readonly requestBytes: number[];
  /** The same fake context, with every call mirrored onto a fresh real request context. */
  wrap<C extends object>(fake: C): C;
}

/** The error the fake raises for a request Excel would refuse, named as Office.js names it. */
export class RequestPayloadSizeLimitExceeded extends Error {
  constructor(readonly bytes: number) {
    super(
      `RequestPayloadSizeLimitExceeded: una richiesta di ${bytes} byte supera il limite di ${EXCEL_WEB_PAYLOAD_LIMIT} byte di Excel sul web`,
    );
    this.name = 'OfficeExtension.Error';
  }
}

/** A real context seen through the little the mirror needs: its workbook root and a sync that returns the bytes. */
export interface RealContext {
  readonly root: object;
  /** Serialises the pending request (nothing is executed) and returns its size in bytes, 0 when nothing is pending. */
  measure(): Promise<number>;
}

const PAIRS = new WeakMap<object, { fake: object; real: object | null }>();

const unwrapFake = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && PAIRS.has(value) ? PAIRS.get(value)?.fake : value;
const unwrapReal = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && PAIRS.has(value) ? PAIRS.get(value)?.real : value;

/** Whether a value is a proxy-like object worth mirroring (not data: arrays, dates, loaded plain values). */
const isNavigable = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Mirrors `fake` onto `real`. Whatever the add-in reaches on the fake must exist in the real library too: a property or
 * a method result the library lacks fails loudly instead of leaving part of a request unmeasured.
 */
function mirror<T extends object>(fake: T, real: object | null, onSync: () => Promise<void>): T {
  const wrapper: T = new Proxy(fake, {
    get(target, property, receiver) {
      if (property === 'sync' && real === null) return Reflect.get(target, property, receiver);
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value === 'function') {
        if (property === 'sync') {
          return async (...args: unknown[]) => {
            await onSync();
            return (value as (...inner: unknown[]) => unknown).apply(target, args);
          };
        }
        return (...args: unknown[]) => {
          const fakeResult = (value as (...inner: unknown[]) => unknown).apply(target, args.map(unwrapFake));
          let realResult: unknown = null;
          if (real !== null) {
            const method = (real as Record<PropertyKey, unknown>)[property];
            if (typeof method !== 'function') {
              throw new Error(`Office.js non ha il metodo ${String(property)} su questo oggetto`);
            }
            realResult = (method as (...inner: unknown[]) => unknown).apply(real, args.map(unwrapReal));
          }
          // load() returns its own object: keep the mirror so chained calls stay mirrored.
          if (fakeResult === target) return wrapper;
          if (!isNavigable(fakeResult)) return fakeResult;
          if (real !== null && !isNavigable(realResult)) {
            throw new Error(
              `Office.js non restituisce un oggetto da ${String(property)}: la richiesta non sarebbe misurata`,
            );
          }
          return mirror(fakeResult, real === null ? null : (realResult as object), onSync);
        };
      }
      if (!isNavigable(value) || real === null) return value;
      let realValue: unknown;
      try {
        realValue = (real as Record<PropertyKey, unknown>)[property];
      } catch {
        // A loaded scalar or complex property on the real side (never loaded there): data, not navigation.
        return value;
      }
      if (realValue === undefined) {
        throw new Error(`Office.js non ha la proprietà ${String(property)}: la richiesta non sarebbe misurata`);
      }
      return isNavigable(realValue) && !isPlainData(realValue) ? mirror(value, realValue, onSync) : value;
    },
    set(target, property, value) {
      const done = Reflect.set(target, property, unwrapFake(value), target);
      if (real !== null) (real as Record<PropertyKey, unknown>)[property] = unwrapReal(value);
      return done;
    },
  });
  PAIRS.set(wrapper, { fake, real });
  return wrapper;
}

/** Plain JSON-like objects (protection options, loaded data) are data; Office.js proxies have a context. */
function isPlainData(value: object): boolean {
  return !('context' in value) && !('_objectPath' in value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** A meter over real request contexts made by `newContext` (one per Excel.run, as Excel.run makes one). */
export function meterOver(newContext: () => RealContext): RequestMeter {
  const requestBytes: number[] = [];
  return {
    requestBytes,
    wrap<C extends object>(fake: C): C {
      const real = newContext();
      const onSync = async (): Promise<void> => {
        const bytes = await real.measure();
        if (bytes === 0) return;
        requestBytes.push(bytes);
        if (bytes > EXCEL_WEB_PAYLOAD_LIMIT) throw new RequestPayloadSizeLimitExceeded(bytes);
      };
      return mirror(fake, real.root, onSync);
    },
  };
}
