import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { insertCellsBelow } from './cells';
import { CommandIDs } from './commandIds';
import { renderCell } from './engine/fixes';
import { bundledTable } from './engine/table';
import { gpuIcon } from './icons';
import { GpuCompatModel } from './model';
import { GpuCompatPanel } from './widgets/panel';

const PLUGIN_ID = 'jupyterlab-gpu-compat:plugin';
const PANEL_ID = 'jp-gpu-compat-panel';

/** The sidebar panel, its commands and the model that probes each notebook's kernel. */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    "Diagnoses a notebook's GPU stack and inserts the cells that fix it.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    ISettingRegistry,
    ITranslator,
    ICommandPalette,
    ILayoutRestorer,
    ILabShell
  ],
  activate
};

function activate(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  settingRegistry: ISettingRegistry | null,
  translator: ITranslator | null,
  palette: ICommandPalette | null,
  restorer: ILayoutRestorer | null
): void {
  const trans = (translator ?? nullTranslator).load('jupyterlab_gpu_compat');
  const model = new GpuCompatModel({ tracker, table: bundledTable() });
  let pipCommand: '%pip' | '!pip' = '%pip';

  const panel = new GpuCompatPanel({
    model,
    trans,
    actions: {
      refresh: () => void model.refresh(),
      insertFix: (finding, fix) => {
        const notebook = model.currentPanel;
        if (notebook) {
          const cells = [renderCell(fix, pipCommand)];
          if (finding.verify) {
            cells.push(
              `# ${trans.__('Check that the fix worked (run after the fix cell%1)', finding.restart ? trans.__(' and a kernel restart') : '')}\n${finding.verify}`
            );
          }
          insertCellsBelow(notebook, cells);
        }
      }
    }
  });
  panel.id = PANEL_ID;
  panel.title.icon = gpuIcon;
  panel.title.caption = trans.__('GPU compatibility');
  panel.node.setAttribute('aria-label', trans.__('GPU compatibility'));
  app.shell.add(panel, 'left', { rank: 900 });
  restorer?.add(panel, PANEL_ID);

  app.commands.addCommand(CommandIDs.runProbe, {
    label: trans.__('Check GPU Compatibility'),
    caption: trans.__("Probe the current notebook's kernel for its GPU stack"),
    icon: gpuIcon,
    execute: () => model.refresh()
  });
  app.commands.addCommand(CommandIDs.openPanel, {
    label: trans.__('Show GPU Compatibility Panel'),
    execute: () => app.shell.activateById(PANEL_ID)
  });
  palette?.addItem({ command: CommandIDs.runProbe, category: trans.__('GPU') });
  palette?.addItem({
    command: CommandIDs.openPanel,
    category: trans.__('GPU')
  });

  if (settingRegistry) {
    void Promise.all([app.restored, settingRegistry.load(PLUGIN_ID)]).then(
      ([, settings]) => {
        const apply = () => {
          model.autoProbe = settings.get('autoProbe').composite as boolean;
          pipCommand = settings.get('pipCommand').composite as '%pip' | '!pip';
          model.timeoutMs =
            (settings.get('probeTimeoutSeconds').composite as number) * 1000;
        };
        apply();
        settings.changed.connect(apply);
      }
    );
  }
}

export default [plugin];
