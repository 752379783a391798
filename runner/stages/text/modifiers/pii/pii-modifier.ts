import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineModifier } from '../document-modifier.js';
import { findPii, PII_ENTITIES, type PiiEntity, type PiiSpan } from './recognizers.js';

/** Presidio entities NeMo Curator's PiiModifier finds with a named-entity model, which this runner does not have. */
const MODEL_ENTITIES = new Set(['ADDRESS', 'DATE_TIME', 'LOCATION', 'PERSON', 'US_PASSPORT', 'US_DRIVER_LICENSE']);

const params = z
  .object({
    supported_entities: z
      .array(z.string())
      .nullable()
      .default(null)
      .describe(`The entities to find (Presidio names); null for all of them: ${PII_ENTITIES.join(', ')}.`),
    anonymize_action: z
      .enum(['redact', 'replace', 'mask', 'hash'])
      .default('redact')
      .describe('What replaces each entity: "redact" deletes it, "replace" writes a typed placeholder such as <EMAIL_ADDRESS> (or new_value), "mask" overwrites its characters with masking_char, "hash" writes the hex digest of its text.'),
    new_value: z.string().optional().describe('With "replace": one text for every entity instead of the typed placeholder.'),
    chars_to_mask: z.number().int().min(1).optional().describe('With "mask": how many characters to overwrite from the start of each entity (default 100, i.e. all of a normal entity).'),
    masking_char: z.string().length(1).optional().describe('With "mask": the character written over the entity (default "*").'),
    hash_type: z.enum(['sha256', 'sha512', 'md5']).optional().describe('With "hash": the digest (default sha256).'),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const [i, e] of (p.supported_entities ?? []).entries()) {
      if ((PII_ENTITIES as readonly string[]).includes(e)) continue;
      const why = MODEL_ENTITIES.has(e)
        ? `${e} needs a named-entity model, which this runner does not have`
        : e === 'URL'
          ? 'URL is not supported (use the UrlRemover modifier to remove URLs)'
          : `unknown entity "${e}"`;
      ctx.addIssue({ code: 'custom', path: ['supported_entities', i], message: `${why}; supported: ${PII_ENTITIES.join(', ')}` });
    }
    const onlyWith: Array<[keyof typeof p, string]> = [['new_value', 'replace'], ['chars_to_mask', 'mask'], ['masking_char', 'mask'], ['hash_type', 'hash']];
    for (const [key, action] of onlyWith) {
      if (p[key] !== undefined && p.anonymize_action !== action) ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies only when anonymize_action is "${action}"` });
    }
  });

/** PiiModifier's settings. */
export type PiiModifierParams = z.output<typeof params>;

/** The text that takes an entity's place (Presidio's operators of the same names). */
function anonymizer(p: PiiModifierParams): (value: string, entity: PiiEntity) => string {
  switch (p.anonymize_action) {
    case 'redact':
      return () => '';
    case 'replace':
      return p.new_value !== undefined ? () => p.new_value as string : (_, entity) => `<${entity}>`;
    case 'mask': {
      const n = p.chars_to_mask ?? 100;
      const ch = p.masking_char ?? '*';
      return (value) => {
        const cps = [...value];
        const k = Math.min(n, cps.length);
        return ch.repeat(k) + cps.slice(k).join('');
      };
    }
    case 'hash': {
      const algo = p.hash_type ?? 'sha256';
      return (value) => createHash(algo).update(value, 'utf8').digest('hex');
    }
  }
}

/** The text with each span replaced. */
export function anonymize(text: string, spans: PiiSpan[], replace: (value: string, entity: PiiEntity) => string): string {
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start) + replace(text.slice(s.start, s.end), s.entity);
    pos = s.end;
  }
  return out + text.slice(pos);
}

defineModifier({
  type: 'PiiModifier',
  description:
    'Finds personal data with checked patterns and anonymizes it (Presidio entity names and actions, as NeMo Curator\'s PiiModifier): EMAIL_ADDRESS; PHONE_NUMBER (international "+" numbers of 8–15 digits, North American (NXX) NXX-XXXX / NXX-NXX-XXXX); IP_ADDRESS (IPv4, not after "version", "v", "section" and the like; IPv6); CREDIT_CARD (13–19 digits, Luhn check); US_SSN (allocation rules; without dashes only after "SSN"); UK_NINO; IBAN_CODE (mod-97 check); URL_WITH_CREDENTIALS (scheme://user:password@host). Names, places and dates (which need a language model) are not found. Counts each entity as pii_<entity> in the run summary.',
  params,
  create: (p) => {
    const entities = new Set<PiiEntity>((p.supported_entities as PiiEntity[] | null) ?? PII_ENTITIES);
    const replace = anonymizer(p);
    let counts: Record<string, number> = {};
    return {
      name: 'PiiModifier',
      modify_document: (text) => {
        const spans = findPii(text, entities);
        if (spans.length === 0) return text;
        for (const s of spans) {
          const key = `pii_${s.entity.toLowerCase()}`;
          counts[key] = (counts[key] ?? 0) + 1;
        }
        return anonymize(text, spans, replace);
      },
      takeCounts: () => {
        const out = counts;
        counts = {};
        return out;
      },
    };
  },
});
