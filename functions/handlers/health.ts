import { json } from '../lib/http.ts';
import { route } from '../lib/request.ts';

export const handler = route('health', async () => json(200, { status: 'ok', version: 'v1' }));
