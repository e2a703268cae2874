/**
 * Test-side helpers for the OAuth flows: an RSA key pair with a self-signed X.509 certificate
 * (what an admin uploads to the app for the JWT bearer flow), a signed JWT assertion (RS256)
 * and a PKCE verifier/challenge pair. Only node:crypto; the product's own signer lives in
 * nodes/.../transport and is not this code.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export interface AppKeys {
	/** PKCS#8 PEM: what the JWT credential holds. */
	privateKey: string;
	/** SPKI PEM. */
	publicKey: string;
	/** Self-signed X.509 certificate PEM: what the admin uploads to the app. */
	certificate: string;
}

// --- a minimal DER writer, just enough for one self-signed certificate ---

function derLength(length: number): Buffer {
	if (length < 0x80) return Buffer.from([length]);
	const bytes: number[] = [];
	for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
	return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]) => {
	const body = Buffer.concat(content);
	return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);

function integer(value: Buffer): Buffer {
	// DER integers are signed: keep a positive serial positive.
	return tlv(0x02, value[0] & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value);
}

/**
 * A random positive serial in minimal DER form: a first byte of 0x00 would be padding OpenSSL
 * refuses ("illegal padding"), so it is never 0 (about 1 certificate in 256 failed before).
 */
function serialNumber(): Buffer {
	const serial = randomBytes(8);
	serial[0] = (serial[0] & 0x7f) | 0x01;
	return serial;
}

function oid(dotted: string): Buffer {
	const [a, b, ...rest] = dotted.split('.').map(Number);
	const bytes = [40 * a + b];
	for (const part of rest) {
		const chunk: number[] = [part & 0x7f];
		for (let n = part >> 7; n > 0; n >>= 7) chunk.unshift((n & 0x7f) | 0x80);
		bytes.push(...chunk);
	}
	return tlv(0x06, Buffer.from(bytes));
}

const utcTime = (date: Date) =>
	tlv(0x17, Buffer.from(date.toISOString().replace(/^\d\d|[-:T]|\.\d+/g, ''), 'ascii'));
const commonName = (cn: string) =>
	sequence(set(sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

const pem = (label: string, der: Buffer) =>
	`-----BEGIN ${label}-----\n${der
		.toString('base64')
		.replace(/(.{64})/g, '$1\n')
		.replace(/\n$/, '')}\n-----END ${label}-----\n`;

/**
 * A fresh RSA key pair and a self-signed certificate for it (valid 10 years from now), like
 * `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=...`.
 */
export function generateAppKeys(
	options: { commonName?: string; modulusLength?: number } = {},
): AppKeys {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', {
		modulusLength: options.modulusLength ?? 2048,
	});
	const name = commonName(options.commonName ?? 'n8n-nodes-salesforce-admin test');
	const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
	const tbs = sequence(
		tlv(0xa0, integer(Buffer.from([2]))), // v3
		integer(serialNumber()),
		SHA256_WITH_RSA,
		name,
		sequence(utcTime(now), utcTime(new Date(now.getTime() + 10 * 365 * 86_400_000))),
		name,
		publicKey.export({ type: 'spki', format: 'der' }),
	);
	const signature = sign('sha256', tbs, privateKey);
	const certificate = sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.from([0]), signature));
	return {
		privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		certificate: pem('CERTIFICATE', certificate),
	};
}

export interface AssertionClaims {
	/** Consumer key. */
	iss: string;
	/** Username. */
	sub: string;
	/** https://login.salesforce.com, https://test.salesforce.com or the My Domain URL. */
	aud: string;
	/** Seconds since the epoch; default: now + lifetimeSeconds. */
	exp?: number | string;
	[claim: string]: unknown;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT bearer assertion signed RS256 with `privateKey` (PEM). */
export function signJwtAssertion(
	privateKey: string,
	claims: AssertionClaims,
	options: { lifetimeSeconds?: number; header?: Record<string, unknown> } = {},
): string {
	const body = {
		...claims,
		exp: claims.exp ?? Math.floor(Date.now() / 1000) + (options.lifetimeSeconds ?? 180),
	};
	const input = `${b64url(options.header ?? { alg: 'RS256' })}.${b64url(body)}`;
	return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** A PKCE pair: code_verifier (43 chars) and its S256 code_challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
	const verifier = randomBytes(32).toString('base64url');
	return { verifier, challenge: s256(verifier) };
}

/** BASE64URL(SHA256(verifier)), RFC 7636's S256. */
export const s256 = (verifier: string) =>
	createHash('sha256').update(verifier, 'ascii').digest('base64url');
