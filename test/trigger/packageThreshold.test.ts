/**
 * License Threshold covers managed-package licenses (PackageLicense): a package running out of
 * seats fires once, with the package item; a site license (-1 seats) never does; package
 * licenses are watched by default.
 */
import { FakeOrg } from '../fake-org';
import type { PackageLicenseRecord, UserRecord } from '../fake-org/store';
import { passwordCredentials } from '../helpers/credentials';
import { PollHarness } from '../helpers/run-poll';
import { advance, installClock, now } from './clock';

let org: FakeOrg;
let seats: PackageLicenseRecord;
let site: PackageLicenseRecord;
const users: UserRecord[] = [];

beforeAll(async () => {
	org = await FakeOrg.start({ now });
	seats = org.store.addPackageLicense({ NamespacePrefix: 'trgpkg', AllowedLicenses: 4 });
	site = org.store.addPackageLicense({ NamespacePrefix: 'trgsite', AllowedLicenses: -1 });
	for (let i = 0; i < 6; i++) users.push(org.store.addUser({ profile: 'Standard User' }));
});
afterAll(async () => await org.stop());
beforeEach(() => installClock());
afterEach(() => jest.restoreAllMocks());

/** Sets a package's seats to the first `n` users. */
function seatsTo(license: PackageLicenseRecord, n: number) {
	const rows = org.store.userPackageLicenses.filter((r) => r.PackageLicenseId === license.Id);
	for (const row of rows.slice(n)) org.store.remove('UserPackageLicense', row.Id);
	for (const user of users.slice(rows.length, n))
		org.store.assignPackageLicense(user.Id, license.Id);
}

const ours = (items: Array<{ name?: unknown }>) =>
	items.filter((i) => i.name === 'trgpkg' || i.name === 'trgsite');

it('fires once when a package crosses into "1 seat or fewer left"; a site license never; watched by default', async () => {
	seatsTo(seats, 2);
	seatsTo(site, 2);
	// the default License Types: user, permission set and package licenses
	const h = new PollHarness(passwordCredentials(org), {
		event: 'licenseThreshold',
		thresholdType: 'minAvailable',
		minAvailable: 1,
	});
	expect((await h.activate()).items).toEqual([]);

	seatsTo(seats, 3);
	seatsTo(site, 6);
	advance(1);
	expect(ours((await h.poll()).items)).toEqual([
		expect.objectContaining({
			type: 'package',
			name: 'trgpkg',
			key: seats.Id,
			status: 'Active',
			total: 4,
			used: 3,
			available: 1,
			expirationDate: null,
			previous: { used: 2, available: 2, total: 4, percentUsed: 50 },
		}),
	]);
	advance(1);
	expect(ours((await h.poll()).items)).toEqual([]);
});
