import { ExactPreflight } from './exactPreflight';
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  ISessionContextDialogs,
  Notification,
  SessionContextDialogs,
  showErrorMessage
} from '@jupyterlab/apputils';
import { IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { cellIndex, insertCellsBelow } from './cells';
import { CommandIDs } from './commandIds';
import { renderCell } from './engine/fixes';
import { Translate } from './engine/text';
import { IReport, jsonReport, markdownReport } from './engine/report';
import { bundledTable } from './engine/table';
import { IFinding, IFix, Severity } from './engine/types';
import { gpuIcon } from './icons';
import { GpuCompatModel } from './model';
import { notifyCellFindings } from './notifications';
import { pipLinterExtension } from './pipLinter';
import { loadTable } from './tableSource';
import { GpuCompatPanel } from './widgets/panel';
import { GpuStatusItem } from './widgets/statusItem';

const PLUGIN_ID = 'jupyterlab-gpu-compat:plugin';
const PANEL_ID = 'jp-gpu-compat-panel';

/** The sidebar panel, status-bar item, pip-cell watcher and commands, around one model. */
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
    IStatusBar,
    IEditorExtensionRegistry,
    ISessionContextDialogs,
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
  restorer: ILayoutRestorer | null,
  statusBar: IStatusBar | null,
  editorExtensions: IEditorExtensionRegistry | null,
  sessionDialogs: ISessionContextDialogs | null
): void {
  const trans = (translator ?? nullTranslator).load('jupyterlab_gpu_compat');
  const dialogs =
    sessionDialogs ??
    new SessionContextDialogs({ translator: translator ?? nullTranslator });
  const model = new GpuCompatModel({ tracker, table: bundledTable() });
  model.exact = new ExactPreflight(
    app.serviceManager.serverSettings,
    () => model.table
  );
  const settings = {
    pipCommand: '%pip' as '%pip' | '!pip',
    watchPipCells: true,
    notify: ['error', 'warning'] as Severity[]
  };

  /** Insert a fix and its verification cell below a cell (or the active one); never run them. */
  const insertFix = (finding: IFinding, fix: IFix, cellId?: string) => {
    const notebook = cellId ? model.panelOf(cellId) : model.currentPanel;
    if (!notebook) {
      return;
    }
    const tr = trans.__.bind(trans);
    const cells = [renderCell(fix, settings.pipCommand, tr)];
    if (finding.verify) {
      cells.push(
        `# ${finding.restart ? trans.__('Check that the fix worked (run it after the fix cell and a kernel restart)') : trans.__('Check that the fix worked (run it after the fix cell)')}\n${finding.verify}`
      );
    }
    insertCellsBelow(notebook, cells, cellId);
  };
  const openPanel = () => app.shell.activateById(PANEL_ID);

  const panel = new GpuCompatPanel({
    model,
    trans,
    actions: {
      refresh: () => void model.refresh(),
      insertFix,
      setTarget: target => {
        const notebook = model.currentPanel;
        if (notebook) {
          model.setTarget(notebook, target);
        }
      },
      restartKernel: () => {
        const notebook = model.currentPanel;
        if (notebook) {
          void dialogs.restart(notebook.sessionContext);
        }
      },
      copyReport: format =>
        void app.commands.execute(
          format === 'json' ? CommandIDs.copyJson : CommandIDs.copyMarkdown
        ),
      goToCell: cellId => {
        const notebook = model.panelOf(cellId);
        const index = notebook ? cellIndex(notebook, cellId) : -1;
        if (notebook && index >= 0) {
          app.shell.activateById(notebook.id);
          notebook.content.activeCellIndex = index;
          void notebook.content.scrollToItem(index);
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

  statusBar?.registerStatusItem('jupyterlab-gpu-compat:status', {
    item: new GpuStatusItem({ model, trans, onClick: openPanel }),
    align: 'left',
    rank: 5,
    isActive: () => model.currentPanel !== null,
    activeStateChanged: model.changed
  });

  editorExtensions?.addExtension(
    pipLinterExtension({
      model,
      trans,
      enabled: () => settings.watchPipCells,
      insertFix: (cellId, finding) =>
        insertFix(finding, finding.fixes[0], cellId)
    })
  );
  notifyCellFindings({
    model,
    trans,
    severities: () => (settings.watchPipCells ? settings.notify : []),
    insertFix: (cellId, finding) =>
      insertFix(finding, finding.fixes[0], cellId),
    showDetails: openPanel
  });

  const readyReport = () => {
    const status = model.status();
    return status.kind === 'ready'
      ? { facts: status.facts, findings: status.findings, table: model.table }
      : null;
  };
  app.commands.addCommand(CommandIDs.runProbe, {
    label: trans.__('Check GPU Compatibility'),
    caption: trans.__("Probe the current notebook's kernel for its GPU stack"),
    icon: gpuIcon,
    execute: () => model.refresh()
  });
  app.commands.addCommand(CommandIDs.openPanel, {
    label: trans.__('Show GPU Compatibility Panel'),
    execute: openPanel
  });
  /** A command that copies the current report, rendered by `render`, to the clipboard. */
  const addCopyCommand = (
    id: string,
    label: string,
    done: string,
    render: (report: IReport, tr: Translate) => string
  ) =>
    app.commands.addCommand(id, {
      label,
      isEnabled: () => readyReport() !== null,
      execute: () => {
        const report = readyReport();
        if (report) {
          Clipboard.copyToSystem(render(report, trans.__.bind(trans)));
          Notification.info(done, { autoClose: 3000 });
        }
      }
    });
  addCopyCommand(
    CommandIDs.copyMarkdown,
    trans.__('Copy GPU Compatibility Report (Markdown)'),
    trans.__('GPU report copied as Markdown.'),
    markdownReport
  );
  addCopyCommand(
    CommandIDs.copyJson,
    trans.__('Copy GPU Compatibility Report (JSON)'),
    trans.__('GPU report copied as JSON.'),
    jsonReport
  );
  for (const command of [
    CommandIDs.runProbe,
    CommandIDs.openPanel,
    CommandIDs.copyMarkdown,
    CommandIDs.copyJson
  ]) {
    palette?.addItem({ command, category: trans.__('GPU') });
  }

  if (settingRegistry) {
    void Promise.all([app.restored, settingRegistry.load(PLUGIN_ID)]).then(
      ([, registry]) => {
        let tableSource = '';
        const apply = () => {
          model.autoProbe = registry.get('autoProbe').composite as boolean;
          settings.pipCommand = registry.get('pipCommand').composite as
            '%pip' | '!pip';
          settings.watchPipCells = registry.get('watchPipCells')
            .composite as boolean;
          model.exact!.enabled = registry.get('exactPreflight')
            .composite as boolean;
          settings.notify = registry.get('notifySeverities')
            .composite as Severity[];
          model.timeoutMs =
            (registry.get('probeTimeoutSeconds').composite as number) * 1000;
          const source = (
            registry.get('tableSource').composite as string
          ).trim();
          if (source !== tableSource) {
            tableSource = source;
            void loadTable(source, app.serviceManager.contents).then(result => {
              if (result.ok) {
                model.table = result.value;
              } else {
                model.table = bundledTable();
                // A toast shows 140 characters: the source and the schema error go in a dialog.
                Notification.error(
                  trans.__(
                    'The newer compatibility table was not used: the bundled table is used instead.'
                  ),
                  {
                    autoClose: false,
                    actions: [
                      {
                        label: trans.__('Show why'),
                        callback: () =>
                          void showErrorMessage(
                            trans.__('Newer compatibility table not used'),
                            `${source}: ${result.error}`
                          )
                      }
                    ]
                  }
                );
              }
            });
          }
        };
        apply();
        registry.changed.connect(apply);
      }
    );
  }
}

export default [plugin];
