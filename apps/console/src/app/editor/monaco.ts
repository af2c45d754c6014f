/**
 * The part of Monaco the console uses: the editor with its standard contributions, JavaScript and
 * TypeScript with their language service, and JSON. Only `loadMonaco` imports this file, lazily,
 * so none of it is in the initial bundle.
 */
import 'monaco-editor/features/register.all.js';
import 'monaco-editor/languages/definitions/javascript/register.js';
import 'monaco-editor/languages/definitions/typescript/register.js';

export * as typescript from 'monaco-editor/languages/features/typescript/register.js';
export * as json from 'monaco-editor/languages/features/json/register.js';
export { editor, languages, MarkerSeverity, Uri } from 'monaco-editor/editor/editor.api.js';
