/**
 * Registers the fastText filters (FastTextLangId, FastTextQualityFilter) with the filter registry.
 * Imported by the stages that run filters; the WebAssembly module and the models load only in a
 * filter's setup(), so importing this costs nothing at run time.
 */
import './lang-id.js';
import './quality.js';

export { FastTextLangIdFilter, type FastTextLangIdParams } from './lang-id.js';
export { FastTextQualityFilter, type FastTextQualityParams } from './quality.js';
export { defaultLangIdModelPath, loadFastTextModel, FastTextModelError, type FastTextModel } from './model.js';
