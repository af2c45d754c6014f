/**
 * The console compiles the engine's message types (`libs/engine/src/message.ts`) to read
 * traces. That file also declares the inbound request, whose raw body is Node's `Buffer`; the
 * browser never holds one, so the name only needs to exist for the file to compile.
 */
type Buffer = Uint8Array;
