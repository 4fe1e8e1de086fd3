import { redact, redactUrl } from '../../nodes/shared/transport/errors';

describe('redact', () => {
	it('replaces every occurrence of every secret, not only the first', () => {
		const echoed = 'AccessKeySecret=s3cr3t-key SecurityToken=tok-en-1 (signed with s3cr3t-key, token tok-en-1)';
		expect(redact(echoed, ['s3cr3t-key', 'tok-en-1'])).toBe('AccessKeySecret=*** SecurityToken=*** (signed with ***, token ***)');
	});

	it('leaves text alone for secrets that are missing or too short to be told from ordinary text', () => {
		expect(redact('abc id=1', [undefined, '', 'id'])).toBe('abc id=1');
	});
});

describe('redactUrl', () => {
	it('keeps origin and path but drops the signed query', () => {
		expect(redactUrl('https://bucket.oss.example.com/calllogs/a.json?Expires=1&Signature=xyz')).toBe(
			'https://bucket.oss.example.com/calllogs/a.json?…',
		);
		expect(redactUrl('not a url')).toBe('(invalid URL)');
	});
});
