/**
 * Once per `jest -c test/e2e/jest.config.js` run: build and pack the package, and install the
 * tarball once (.e2e-work/nodes-cache/), so every test file and n8n version uses the same tarball
 * (E2E_TARBALL, inherited by the test workers) and copies the same install.
 */
import { installedNodesFolder, packPackage } from './n8n';

export default function globalSetup(): void {
	const tarball = packPackage();
	process.env.E2E_TARBALL = tarball;
	installedNodesFolder(tarball);
}
