import { prepareTemplate } from './test-database';

/** Migrates the template database once for the whole run. */
export default async function globalSetup(): Promise<void> {
  await prepareTemplate();
}
