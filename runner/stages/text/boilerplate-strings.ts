/**
 * NeMo Curator's boilerplate rules (`stages/text/utils/constants.py`, adapted from Google's C4
 * cleaning), shared by `BoilerPlateStringFilter` and `BoilerPlateStringModifier`: a paragraph is
 * boilerplate when, lower-cased, it contains a policy or cookie-banner string, and "lorem ipsum"
 * marks placeholder text.
 */

/** NeMo Curator's `policy_substrings`, already lower-cased, looked for in each lower-cased paragraph. */
export const POLICY_SUBSTRINGS: readonly string[] = [
  'terms of use',
  'privacy policy',
  'cookie policy',
  'uses cookies',
  'privacy overview',
  'use of cookies',
  'use cookies',
  'privacy & cookies policy',
  'privacy and cookies policy',
  'this website uses cookies to improve your experience while you navigate through the website. out of these cookies, the cookies that are categorized as necessary are stored on your browser as they are essential for the working of basic functionalities of the website. we also use third-party cookies that help us analyze and understand how you use this website. these cookies will be stored in your browser only with your consent. you also have the option to opt-out of these cookies. but opting out of some of these cookies may have an effect on your browsing experience.',
  'necessary cookies are absolutely essential for the website to function properly. this category only includes cookies that ensures basic functionalities and security features of the website. these cookies do not store any personal information.',
  'any cookies that may not be particularly necessary for the website to function and is used specifically to collect user personal data via analytics, ads, other embedded contents are termed as non-necessary cookies. it is mandatory to procure user consent prior to running these cookies on your website.',
  'this site uses cookies, including for analytics, personalization, and advertising purposes. for more information or to change your cookie settings, click here.',
  'if you continue to browse this site without changing your cookie settings, you agree to this use. acceptread more',
];

/** What one paragraph is to the boilerplate rules. */
export type ParagraphKind = 'lorem_ipsum' | 'policy' | 'content';

/**
 * Classifies one paragraph (a piece of `text.split("\n\n")`), lower-cased. NeMo Curator strips the
 * paragraph first; no string above starts or ends with white space, so stripping cannot change
 * what it contains and is skipped.
 */
export function classifyParagraph(paragraph: string): ParagraphKind {
  const p = paragraph.toLowerCase();
  if (p.includes('lorem ipsum')) return 'lorem_ipsum';
  return POLICY_SUBSTRINGS.some((s) => p.includes(s)) ? 'policy' : 'content';
}
