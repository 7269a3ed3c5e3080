import { encodeUtf8 } from './utf8.ts';

/**
 * TextEncoder for EdgeHTML 18 (Excel 2019 without WebView2), which has none (MDN browser-compat-data: Edge 79).
 * core-js does not provide it. UTF-8 only, as the standard's encoder; a lone surrogate becomes U+FFFD like the
 * native one. Installed only where the webview lacks it.
 */

class Utf8Encoder {
  readonly encoding = 'utf-8';
  encode(input = ''): Uint8Array {
    return encodeUtf8(String(input));
  }
}

const scope = window as unknown as { TextEncoder?: unknown };
if (typeof scope.TextEncoder !== 'function') scope.TextEncoder = Utf8Encoder;
