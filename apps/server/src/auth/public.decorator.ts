import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'hookline:public';

/** Marks a route that needs no login (the login itself, health, ingress). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
