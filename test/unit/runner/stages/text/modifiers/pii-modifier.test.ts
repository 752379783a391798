import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { buildModifier, getModifier } from '../../../../../../runner/stages/text/modifiers/document-modifier.js';
import { findPii, ibanValid, ipv6Valid, luhnValid, PII_ENTITIES, type PiiEntity } from '../../../../../../runner/stages/text/modifiers/pii/recognizers.js';
import '../../../../../../runner/stages/text/modify.js';

const replace = (text: string, params: Record<string, unknown> = {}) => buildModifier({ type: 'PiiModifier', anonymize_action: 'replace', ...params }).modify_document(text);
const ALL = new Set<PiiEntity>(PII_ENTITIES);
/** The entities found in a text, as "ENTITY:matched text". */
const found = (text: string) => findPii(text, ALL).map((s) => `${s.entity}:${text.slice(s.start, s.end)}`);

describe('PiiModifier: recall on realistic text', () => {
  it('finds e-mail addresses, phone numbers, cards and IPs in a support message', () => {
    const text = 'For questions write to support@example.com or call +1 (415) 555-0132. Jane: jane.doe+news@mail.example.co.uk, 212-555-0199, (646) 555 0100.\n\nCard 4111 1111 1111 1111 must not be e-mailed; the server 192.168.10.24 never stores it.';
    expect(replace(text)).toBe(
      'For questions write to <EMAIL_ADDRESS> or call <PHONE_NUMBER>. Jane: <EMAIL_ADDRESS>, <PHONE_NUMBER>, <PHONE_NUMBER>.\n\nCard <CREDIT_CARD> must not be e-mailed; the server <IP_ADDRESS> never stores it.',
    );
  });
  it('finds international and UK phone numbers', () => {
    expect(found('Ring +44 20 7946 0958, +49 (0)30 123456, +33 1 23 45 67 89, +14155550123, 020 7946 0958 or 07700 900123.').filter((f) => f.startsWith('PHONE'))).toEqual([
      'PHONE_NUMBER:+44 20 7946 0958',
      'PHONE_NUMBER:+49 (0)30 123456',
      'PHONE_NUMBER:+33 1 23 45 67 89',
      'PHONE_NUMBER:+14155550123',
      'PHONE_NUMBER:020 7946 0958',
      'PHONE_NUMBER:07700 900123',
    ]);
  });
  it('finds card numbers of the main networks, with spaces, dashes or none', () => {
    const cards = ['4111-1111-1111-1111', '5500 0000 0000 0004', '3400 000000 00009', '6011000990139424', '4222222222222'];
    for (const c of cards) expect(found(`pay with ${c} today`), c).toEqual([`CREDIT_CARD:${c}`]);
  });
  it('finds IPv6 addresses in their full, compressed and IPv4-tailed forms', () => {
    for (const ip of ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8::8a2e:370:7334', 'fe80::1', '::1', '::ffff:192.0.2.1']) expect(found(`host ${ip} is up`), ip).toEqual([`IP_ADDRESS:${ip}`]);
  });
  it('finds SSNs, UK National Insurance numbers, IBANs and credential URLs', () => {
    expect(found('SSN 123-45-6789.')).toEqual(['US_SSN:123-45-6789']);
    expect(found('My social security number is 123 45 6789')).toEqual(['US_SSN:123 45 6789']);
    expect(found('ssn: 123456789')).toEqual(['US_SSN:123456789']);
    expect(found('NI number AB 12 34 56 C or QQ123456C? No: JG103759A.')).toEqual(['UK_NINO:AB 12 34 56 C', 'UK_NINO:JG103759A']);
    expect(found('IBAN DE89 3704 0044 0532 0130 00 THEN GB82WEST12345698765432.')).toEqual(['IBAN_CODE:DE89 3704 0044 0532 0130 00', 'IBAN_CODE:GB82WEST12345698765432']);
    expect(found('backup at https://admin:hunter2@files.example.com/records, db postgres://u:p@ss@db:5432/app.')).toEqual([
      'URL_WITH_CREDENTIALS:https://admin:hunter2@files.example.com/records',
      'URL_WITH_CREDENTIALS:postgres://u:p@ss@db:5432/app',
    ]);
  });
});

describe('PiiModifier: precision (look-alikes stay)', () => {
  it('leaves versions, section numbers, ISBNs, dates, times, prices and order numbers alone', () => {
    const text =
      'Version 1.2.3.4 and v10.0.0.1 and section 1.2.3.4 of ISBN 978-3-16-148410-0 (ISBN 0-306-40615-2) shipped 2024-03-15 at 12:30:45, ' +
      '2023-10-15T12:30:45Z or 12/03/2024, costs $19.99 or €1,234.56; order 1234-5678-9012, order #4155550123, tracking 1Z999AA10123456784, ' +
      'pi 3.14159265358979, 1.2.3.4.5 and 999.1.1.1 and 256.1.1.1 and 01.02.03.04.';
    expect(found(text)).toEqual([]);
  });
  it('leaves card-like numbers that fail the Luhn check or start outside the card ranges', () => {
    expect(found('4111 1111 1111 1112')).toEqual([]);
    expect(found('1234 5678 9012 3452')).toEqual([]); // Luhn-valid but no network starts with 1
    expect(found('timestamp 1697371845123')).toEqual([]);
    expect(found('4111 111 11111 1111 11')).toEqual([]); // a first group other than four digits
  });
  it('leaves invalid SSNs and bare nine-digit numbers without SSN context', () => {
    for (const t of ['999-99-9999', '000-12-3456', '666-12-3456', '123-00-4567', '123-45-0000', 'id 123456789', 'code 123 45 6789']) expect(found(t), t).toEqual([]);
  });
  it('leaves incomplete addresses, file names and code', () => {
    for (const t of ['write to user@ or @handle', 'user@localhost', 'icon@2x.png', 'std::vector<int>, Foo::Bar, a::b', '00:1A:2B:3C:4D:5E', 'at 12:30 or 1:2:3', 'ssh://git@github.com/x.git', 'ratio 3:2']) expect(found(t), t).toEqual([]);
  });
  it('leaves NINO look-alikes with unallocated prefixes or suffixes', () => {
    for (const t of ['GB123456A', 'DA123456A', 'AO123456A', 'AB123456E', 'ab123456c']) expect(found(t), t).toEqual([]);
  });
  it('leaves IBAN look-alikes that fail the mod-97 check', () => {
    expect(found('DE88 3704 0044 0532 0130 00')).toEqual([]);
  });
});

describe('PiiModifier: checks', () => {
  it('Luhn, mod-97 and IPv6 validators', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(ipv6Valid('1:2:3:4:5:6:7:8')).toBe(true);
    expect(ipv6Valid('1:2:3:4:5:6:7')).toBe(false);
    expect(ipv6Valid('1::2::3')).toBe(false);
    expect(ipv6Valid('1:2:3:4:5:6:7::8')).toBe(false);
    expect(ipv6Valid('12345::1')).toBe(false);
  });
  it('prefers the longer of overlapping matches (a credential URL over the e-mail inside it)', () => {
    expect(replace('see ftp://bob:pw@mail.example.com now')).toBe('see <URL_WITH_CREDENTIALS> now');
  });
});

describe('PiiModifier: actions, entities and counts', () => {
  const text = 'mail a@b.com or call 212-555-0199';
  it('redacts by default (deletes, as Presidio does)', () => {
    expect(buildModifier({ type: 'PiiModifier' }).modify_document(text)).toBe('mail  or call ');
  });
  it('replaces with typed placeholders, or with new_value', () => {
    expect(replace(text)).toBe('mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>');
    expect(replace(text, { new_value: '[PII]' })).toBe('mail [PII] or call [PII]');
  });
  it('masks characters from the start, and hashes', () => {
    expect(buildModifier({ type: 'PiiModifier', anonymize_action: 'mask' }).modify_document(text)).toBe('mail ******* or call ************');
    expect(buildModifier({ type: 'PiiModifier', anonymize_action: 'mask', chars_to_mask: 3, masking_char: '#' }).modify_document(text)).toBe('mail ###.com or call ###-555-0199');
    const sha = createHash('sha256').update('a@b.com').digest('hex');
    expect(buildModifier({ type: 'PiiModifier', anonymize_action: 'hash', supported_entities: ['EMAIL_ADDRESS'] }).modify_document(text)).toBe(`mail ${sha} or call 212-555-0199`);
  });
  it('finds only supported_entities', () => {
    expect(replace(text, { supported_entities: ['PHONE_NUMBER'] })).toBe('mail a@b.com or call <PHONE_NUMBER>');
  });
  it('reports what it replaced, once', () => {
    const m = buildModifier({ type: 'PiiModifier' });
    m.modify_document(text);
    m.modify_document('x@y.org');
    expect(m.takeCounts?.()).toEqual({ pii_email_address: 2, pii_phone_number: 1 });
    expect(m.takeCounts?.()).toEqual({});
  });
  it('explains entities it cannot find and options that do not fit the action', () => {
    const problems = (raw: Record<string, unknown>) => {
      const r = getModifier('PiiModifier').params.safeParse(raw);
      return r.success ? 'parsed' : r.error.issues.map((i) => i.message).join(' | ');
    };
    expect(problems({ supported_entities: ['PERSON'] })).toMatch(/PERSON needs a named-entity model.*supported: URL_WITH_CREDENTIALS, EMAIL_ADDRESS/);
    expect(problems({ supported_entities: ['URL'] })).toMatch(/UrlRemover/);
    expect(problems({ supported_entities: ['EMAIL'] })).toMatch(/unknown entity "EMAIL"/);
    expect(problems({ anonymize_action: 'redact', masking_char: '#' })).toMatch(/masking_char applies only when anonymize_action is "mask"/);
    expect(problems({ anonymize_action: 'encrypt' })).not.toBe('parsed');
    expect(problems({ anonymize_action: 'mask', masking_char: '#' })).toBe('parsed');
  });
});
