import * as fs from 'node:fs';
import * as path from 'node:path';

// Each run starts a fresh `akta` with a fresh database: the tests' authenticator app
// (tests/helpers.ts) forgets the secrets and sessions of the run before.
export default function globalSetup() {
  for (const file of ['authenticator.json', 'sessions.json']) {
    fs.rmSync(path.join(__dirname, '.tmp', file), { force: true });
  }
}
