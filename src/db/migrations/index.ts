import type { Kysely, Migration } from 'kysely';
import * as createCore from './20261125T1000-create-core.ts';
import * as createAccounts from './20261125T1100-create-accounts.ts';
import * as createWorkflow from './20261125T1110-create-workflow.ts';
import * as addPageOrderIndexes from './20261125T1200-add-page-order-indexes.ts';
import * as createArticleConflictCopies from './20261125T1300-create-article-conflict-copies.ts';
import * as addMediaLibrary from './20261125T1350-add-media-library.ts';
import * as createComments from './20261125T1400-create-comments.ts';
import * as createApiTokens from './20261125T1500-create-api-tokens.ts';
import * as createWebhooks from './20261125T1600-create-webhooks.ts';
import * as createWireImports from './20261125T1700-create-wire-imports.ts';
import * as addAuditBrowseIndexes from './20261125T1800-add-audit-browse-indexes.ts';
import * as addMustChangePassword from './20261125T1900-add-must-change-password.ts';
import * as addReaderSessionsExpiryIndex from './20261203T1400-add-reader-sessions-expiry-index.ts';
import * as addArticlesEmbargoIndex from './20261203T1500-add-articles-embargo-index.ts';
import * as addImageCrops from './20261203T1600-add-image-crops.ts';
import * as createSearchIndex from './20261203T1630-create-search-index.ts';
import * as addArticleTagsPublishedAt from './20261204T0900-add-article-tags-published-at.ts';
import * as addWebhookDeliveriesAgeIndex from './20261204T1000-add-webhook-deliveries-age-index.ts';
import * as widenRelatedScore from './20261204T1100-widen-related-score.ts';
import * as createRedirects from './20261204T1200-create-redirects.ts';
import * as createLiveCoverage from './20261204T1300-create-live-coverage.ts';
import * as createImageSearchIndex from './20261204T1500-create-image-search-index.ts';
import * as createSearchVocabulary from './20261204T1500-create-search-vocabulary.ts';
import * as addLiveEntrySequence from './20261206T0500-add-live-entry-sequence.ts';
import * as createPendingChangesAndDeskNotes from './20261206T0400-create-pending-changes-and-desk-notes.ts';
import * as createPlanningItems from './20261206T0300-create-planning-items.ts';
import * as createStoryPresence from './20261206T0310-create-story-presence.ts';
import * as createFrontArrangements from './20261206T0200-create-front-arrangements.ts';
import * as addArticlesSearchFilterIndex from './20261206T0600-add-articles-search-filter-index.ts';
import * as createEditions from './20261206T0100-create-editions.ts';
import * as createBreakingAlerts from './20261206T0510-create-breaking-alerts.ts';
import * as createPreviewLinks from './20261206T0800-create-preview-links.ts';
import * as addSearchDocumentsConfigIndex from './20261206T0850-add-search-documents-config-index.ts';
import * as createTagEditions from './20261206T0900-ed3-create-tag-editions.ts';
import * as addSearchWeekTerms from './20261207T0900-add-search-week-terms.ts';
import * as addSearchFilterTerms from './20261208T0900-add-search-filter-terms.ts';
import * as addSearchDocumentVisibility from './20261209T0900-add-search-document-visibility.ts';
import * as addSearchSectionWeekTerms from './20261210T0900-add-search-section-week-terms.ts';
import * as addSearchPhrasePairs from './20261211T0900-add-search-phrase-pairs.ts';
import * as pairSearchWordsAcrossStopwords from './20261212T0900-pair-search-words-across-stopwords.ts';
import * as addStoryListIndexes from './20261212T1000-add-story-list-indexes.ts';
import * as addHeadlineTrigramIndex from './20261213T0900-add-headline-trigram-index.ts';
import * as keepSearchDocumentsInRow from './20261214T0900-keep-search-documents-in-row.ts';
import * as keepSearchPairPlans from './20261215T0900-keep-search-pair-plans.ts';

/**
 * A migration, with optional work to do once its transaction has committed: maintenance that
 * cannot run inside one (VACUUM, REINDEX CONCURRENTLY). Only performance may depend on it: a
 * process stopped before it runs leaves a correct database.
 */
export interface MastheadMigration extends Migration {
  afterCommit?: (db: Kysely<any>) => Promise<void>;
}

/** Explicit, ordered migration list: nothing scans the filesystem at run time. */
export const migrations: Record<string, MastheadMigration> = {
  '20261125T1000-create-core': createCore,
  '20261125T1100-create-accounts': createAccounts,
  '20261125T1110-create-workflow': createWorkflow,
  '20261125T1200-add-page-order-indexes': addPageOrderIndexes,
  '20261125T1300-create-article-conflict-copies': createArticleConflictCopies,
  '20261125T1350-add-media-library': addMediaLibrary,
  '20261125T1400-create-comments': createComments,
  '20261125T1500-create-api-tokens': createApiTokens,
  '20261125T1600-create-webhooks': createWebhooks,
  '20261125T1700-create-wire-imports': createWireImports,
  '20261125T1800-add-audit-browse-indexes': addAuditBrowseIndexes,
  '20261125T1900-add-must-change-password': addMustChangePassword,
  '20261203T1400-add-reader-sessions-expiry-index': addReaderSessionsExpiryIndex,
  '20261203T1500-add-articles-embargo-index': addArticlesEmbargoIndex,
  '20261203T1600-add-image-crops': addImageCrops,
  '20261203T1630-create-search-index': createSearchIndex,
  '20261204T0900-add-article-tags-published-at': addArticleTagsPublishedAt,
  '20261204T1000-add-webhook-deliveries-age-index': addWebhookDeliveriesAgeIndex,
  '20261204T1100-widen-related-score': widenRelatedScore,
  '20261204T1200-create-redirects': createRedirects,
  '20261204T1300-create-live-coverage': createLiveCoverage,
  '20261204T1500-create-image-search-index': createImageSearchIndex,
  '20261204T1500-create-search-vocabulary': createSearchVocabulary,
  '20261206T0100-create-editions': createEditions,
  '20261206T0200-create-front-arrangements': createFrontArrangements,
  '20261206T0300-create-planning-items': createPlanningItems,
  '20261206T0310-create-story-presence': createStoryPresence,
  '20261206T0400-create-pending-changes-and-desk-notes': createPendingChangesAndDeskNotes,
  '20261206T0500-add-live-entry-sequence': addLiveEntrySequence,
  '20261206T0510-create-breaking-alerts': createBreakingAlerts,
  '20261206T0600-add-articles-search-filter-index': addArticlesSearchFilterIndex,
  '20261206T0800-create-preview-links': createPreviewLinks,
  '20261206T0850-add-search-documents-config-index': addSearchDocumentsConfigIndex,
  '20261206T0900-ed3-create-tag-editions': createTagEditions,
  '20261207T0900-add-search-week-terms': addSearchWeekTerms,
  '20261208T0900-add-search-filter-terms': addSearchFilterTerms,
  '20261209T0900-add-search-document-visibility': addSearchDocumentVisibility,
  '20261210T0900-add-search-section-week-terms': addSearchSectionWeekTerms,
  '20261211T0900-add-search-phrase-pairs': addSearchPhrasePairs,
  '20261212T0900-pair-search-words-across-stopwords': pairSearchWordsAcrossStopwords,
  '20261212T1000-add-story-list-indexes': addStoryListIndexes,
  '20261213T0900-add-headline-trigram-index': addHeadlineTrigramIndex,
  '20261214T0900-keep-search-documents-in-row': keepSearchDocumentsInRow,
  '20261215T0900-keep-search-pair-plans': keepSearchPairPlans,
};
