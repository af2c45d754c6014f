import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from './config';
import { CONFIG } from './common/tokens';

/** The base URL senders and runners use: HOOKLINE_PUBLIC_URL, else where this server listens. */
@Injectable()
export class PublicUrl {
  private listening = '';

  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  setListening(url: string): void {
    this.listening = url;
  }

  get base(): string {
    return (this.config.publicUrl ?? this.listening).replace(/\/+$/, '');
  }
}
