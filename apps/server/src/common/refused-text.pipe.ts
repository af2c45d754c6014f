import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { findRefusedText } from '../database/storable';
import { ValidationFailedError } from './errors';

/**
 * Refuses admin input (JSON bodies and query parameters) holding a character PostgreSQL cannot
 * store, naming where it is. A name or script changed behind the admin's back is worse than a
 * 400 that says what to remove. Pipes run after the guards, so an unauthenticated caller still
 * gets its 401. Webhook bodies are Buffers and pass untouched: their text is made storable instead.
 */
@Injectable()
export class RefusedTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if ((metadata.type !== 'body' && metadata.type !== 'query') || Buffer.isBuffer(value)) return value;
    const found = findRefusedText(value);
    if (found === null) return value;
    const where = metadata.data ?? (found === '(the whole body)' ? 'body' : found);
    throw new ValidationFailedError({ [where]: 'has a NUL character (U+0000) or an unpaired UTF-16 surrogate, which cannot be stored; remove it' });
  }
}
