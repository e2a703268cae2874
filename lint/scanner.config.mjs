// n8n's verification scanner's own ESLint config (@n8n/scan-community-package, `buildScanConfig()`),
// unchanged and without exceptions: `npm run lint:n8n` lints the source with it, inline disable
// comments ignored, exactly as `npm run scan` and n8n's verification do. The package's one config
// (eslint.config.mjs, `npm run lint`) composes it in as it is.
import { createRequire } from 'node:module';

const scannerModule = createRequire(import.meta.url).resolve(
	'@n8n/scan-community-package/scanner/scanner.mjs',
);
// the scanner makes a download folder when loaded (unused here): removed on exit
createRequire(scannerModule)('tmp').setGracefulCleanup();
const { buildScanConfig } = await import(scannerModule);

export default await buildScanConfig();
