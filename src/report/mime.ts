/**
 * Renders `application/vnd.jupyter.gpu-compat+json` (what `%load_ext jupyterlab_gpu_compat`
 * displays) natively, with the same view as the self-contained text/html fallback.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { bundledTable } from '../engine/table';
import { english, Translate } from '../engine/text';
import {
  IReportPayload,
  payloadTranslator,
  REPORT_MIME,
  renderReport
} from './view';

class ReportRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(private readonly _translate: Translate) {
    super();
    // As JupyterLab's own renderers do: tells styles and tests which MIME type is shown.
    this.node.dataset.mimeType = REPORT_MIME;
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const payload = model.data[REPORT_MIME] as unknown as IReportPayload;
    // JupyterLab's language, unless the kernel side chose one (JUPYTERLAB_GPU_COMPAT_LANG).
    renderReport(
      this.node,
      payload,
      bundledTable(),
      payload?.lang ? payloadTranslator(payload) : this._translate
    );
  }
}

const extension: IRenderMime.IExtension = {
  id: 'jupyterlab-gpu-compat:report-renderer',
  description:
    'Renders the GPU compatibility report of jupyterlab_gpu_compat.check().',
  rendererFactory: {
    safe: true,
    mimeTypes: [REPORT_MIME],
    createRenderer: options => {
      const trans = options.translator?.load('jupyterlab_gpu_compat');
      return new ReportRenderer(trans ? trans.__.bind(trans) : english);
    }
  },
  // Before text/html (rank 50): the native view instead of the inline script.
  rank: 0,
  dataType: 'json'
};

export default extension;
