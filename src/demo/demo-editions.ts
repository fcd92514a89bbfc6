import type { Article } from '../domain/articles/article.ts';
import type { ServiceDeps } from '../domain/deps.ts';
import { markdownToDocument } from '../domain/documents/document-markdown.ts';
import { translateStory } from '../domain/editions/translation-service.ts';
import { newId } from '../domain/ids.ts';
import type { Section } from '../domain/sections/section.ts';

/*
 * The demo's editions: English at the site's own addresses, French under /fr/ and Arabic
 * (right to left) under /ar/, with the demo sections named in each. Written beside the story
 * path like the demo's sections; the demo load ends with a clear, so no cache holds the site
 * without them.
 */

export const DEMO_EDITIONS = [
  { code: 'en', language: 'en', locale: 'en-GB', direction: 'ltr', name: 'English', site_name: null, path_prefix: null, is_default: 1 },
  { code: 'fr', language: 'fr', locale: 'fr-FR', direction: 'ltr', name: 'Français', site_name: null, path_prefix: 'fr', is_default: 0 },
  { code: 'ar', language: 'ar', locale: 'ar', direction: 'rtl', name: 'العربية', site_name: null, path_prefix: 'ar', is_default: 0 },
] as const;

/** Section names and slugs per edition code (slugs are ASCII: the site's slugs are). */
const SECTION_NAMES: Record<string, Record<string, [name: string, slug: string]>> = {
  fr: {
    world: ['Monde', 'monde'],
    europe: ['Europe', 'europe'],
    business: ['Économie', 'economie'],
    climate: ['Climat', 'climat'],
    science: ['Sciences', 'sciences'],
    tech: ['Tech', 'tech'],
    culture: ['Culture', 'culture'],
    sport: ['Sport', 'sport'],
  },
  ar: {
    world: ['العالم', 'alam'],
    europe: ['أوروبا', 'urubba'],
    business: ['اقتصاد', 'iqtisad'],
    climate: ['المناخ', 'munakh'],
    science: ['علوم', 'ulum'],
    tech: ['تكنولوجيا', 'tiknulujya'],
    culture: ['ثقافة', 'thaqafa'],
    sport: ['رياضة', 'riyada'],
  },
};

/** The seed story's French and Arabic demo translations, published at `publishedAt`; returns how many. */
export async function addDemoTranslations(
  deps: ServiceDeps,
  editionIds: ReadonlyMap<string, string>,
  seed: Article,
  publishedAt: string,
): Promise<number> {
  let n = 0;
  for (const [code, t] of Object.entries(SEED_TRANSLATIONS)) {
    const editionId = editionIds.get(code);
    if (!editionId) continue;
    await translateStory(deps, null, seed.id, editionId, {
      headline: t.headline,
      standfirst: t.standfirst,
      body: markdownToDocument(t.body),
      status: 'published',
      publishedAt,
      // Written half an hour before it went out, as the demo records every story.
      history: { createdAt: new Date(Date.parse(publishedAt) - 30 * 60_000), modifiedAt: new Date(publishedAt) },
    });
    n++;
  }
  return n;
}

/** Inserts the demo editions and their section names; returns the editions' ids by code. */
export async function addDemoEditions(deps: ServiceDeps, sections: ReadonlyMap<string, Section>): Promise<Map<string, string>> {
  const now = deps.clock().toISOString();
  const ids = new Map<string, string>();
  for (const [position, e] of DEMO_EDITIONS.entries()) {
    const id = newId();
    ids.set(e.code, id);
    await deps.db
      .insertInto('editions')
      .values({ id, ...e, host: null, position, created_at: now, updated_at: now })
      .execute();
    const names = SECTION_NAMES[e.code];
    if (!names) continue;
    for (const [slug, [name, edSlug]] of Object.entries(names)) {
      const section = sections.get(slug);
      if (section)
        await deps.db.insertInto('section_editions').values({ section_id: section.id, edition_id: id, name, slug: edSlug }).execute();
    }
  }
  return ids;
}

/** Demo translations of the seed article (clearly marked as such in their first paragraph). */
export const SEED_TRANSLATIONS = {
  fr: {
    slugSuffix: 'fr',
    headline: 'La Russie exécute des soldats qui n’obéissent pas aux ordres, selon les États-Unis',
    standfirst: 'Moscou aurait du mal à faire respecter la discipline militaire en Ukraine.',
    body: [
      '*Traduction de démonstration de l’article en anglais, fournie avec Masthead.*',
      'Les États-Unis ont accusé jeudi la Russie d’exécuter des soldats qui ne suivent pas les ordres et de menacer de mort des unités entières si elles reculent sous le feu ukrainien.',
      'Selon John Kirby, porte-parole du Conseil de sécurité nationale de la Maison Blanche, cela traduit les problèmes de moral de l’armée de conscrits du Kremlin, vingt mois après le début de son invasion de l’Ukraine.',
      '> « Il est répréhensible d’imaginer que l’on exécute ses propres soldats parce qu’ils ne voulaient pas suivre les ordres », a déclaré M. Kirby aux journalistes.',
      'Le responsable américain n’a donné aucun détail sur le nombre de soldats russes exécutés pour avoir désobéi.',
    ].join('\n\n'),
  },
  ar: {
    slugSuffix: 'ar',
    headline: 'الولايات المتحدة: روسيا تعدم جنوداً لا ينفذون الأوامر',
    standfirst: 'تواجه موسكو صعوبة في فرض الانضباط العسكري في أوكرانيا، بحسب التقارير.',
    body: [
      '*ترجمة تجريبية للمقال الإنجليزي، مرفقة مع Masthead.*',
      'اتهمت الولايات المتحدة يوم الخميس روسيا بإعدام جنود لم ينفذوا الأوامر وتهديد وحدات كاملة بالموت إذا تراجعت أمام النيران الأوكرانية.',
      'وقال جون كيربي، المتحدث باسم مجلس الأمن القومي في البيت الأبيض، إن ذلك يعكس مشكلات في معنويات جيش المجندين بعد 20 شهراً من الغزو.',
      '> «من المستهجن أن تعدم جنودك لأنهم لم يريدوا تنفيذ الأوامر»، قال كيربي للصحفيين.',
      'ولم يقدم المسؤول الأمريكي أي تفاصيل عن عدد الجنود الروس الذين أُعدموا.',
    ].join('\n\n'),
  },
} as const;
