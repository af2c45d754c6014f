#!/usr/bin/env node
// Copies the engine's script API declaration into the console's build input (Angular copies
// assets only from inside apps/console). The editor fetches it as script-api/script-api.d.ts.txt,
// a .txt so that it is sent as text/plain and precompressed like the rest, and cuts it down per
// kind of script in the browser with the engine's own scriptDeclarations.
import { copyFile, mkdir } from 'node:fs/promises';

const source = new URL('../../libs/engine/src/script-api.d.ts', import.meta.url);
const target = new URL('./generated/script-api.d.ts.txt', import.meta.url);
await mkdir(new URL('.', target), { recursive: true });
await copyFile(source, target);
