// Builder drafts made from bundled templates, with their outputs pointed at the app's output folder.
import type { Catalog, TemplateInfo } from '../../../runner/service/contract';
import type { PipelineDraft } from './draft-store';
import { childPath } from './paths';
import { retargetPipeline } from './retarget';

/** The template to preselect: quickstart when it exists, else the first one. */
export function defaultTemplate(catalog: Catalog | undefined): TemplateInfo | undefined {
  return catalog?.templates.find((t) => t.id === 'quickstart') ?? catalog?.templates[0];
}

/** The default output folder of a template's runs: `<output_dir>/<template id>`. */
export function templateOutput(outputDir: string | undefined, template: TemplateInfo): string | undefined {
  return outputDir ? childPath(outputDir, template.id) : undefined;
}

/** A draft from a template: its text with the writers pointed at the output folder, and its folder for the rest. */
export function templateDraft(template: TemplateInfo, catalog: Catalog, outputDir: string | undefined): PipelineDraft {
  const output = templateOutput(outputDir, template);
  return {
    text: output ? retargetPipeline(template.text, catalog.stages, { output }) : template.text,
    base_dir: template.base_dir,
    file_name: `${template.id}.yaml`,
  };
}
