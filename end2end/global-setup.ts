import * as fs from 'node:fs';
import * as path from 'node:path';

// Each run starts a fresh `akta` with a fresh database: the tests' authenticator app
// (tests/helpers.ts) forgets the secrets of the run before.
export default function globalSetup() {
  fs.rmSync(path.join(__dirname, '.tmp', 'authenticator.json'), { force: true });
}
