/** Building fix cells: quoted pip commands, restarts and verification code. */
import { quoteArg } from './quote';
import { english, IText, render, t, Translate } from './text';
import { IFix, IFixStep } from './types';

export function pip(...args: string[]): IFixStep {
  return { kind: 'pip', text: ['install', ...args.map(quoteArg)].join(' ') };
}

export const RESTART: IFixStep = {
  kind: 'restart',
  text: t('Restart the kernel so the new packages are loaded.')
};

export function fix(title: IText, ...steps: IFixStep[]): IFix {
  return { title, steps };
}

export const VERIFY = {
  torch:
    'import torch\nprint(torch.__version__, "built for CUDA", torch.version.cuda)\nprint("GPU available:", torch.cuda.is_available())\nif torch.cuda.is_available():\n    print(torch.cuda.get_device_name(0), torch.cuda.get_device_capability(0))\n    print((torch.ones(2, device="cuda") * 2).sum().item())',
  tensorflow:
    'import tensorflow as tf\nprint(tf.__version__, tf.sysconfig.get_build_info().get("cuda_version"), tf.sysconfig.get_build_info().get("cudnn_version"))\nprint("GPUs:", tf.config.list_physical_devices("GPU"))',
  jax: 'import jax\nprint(jax.__version__, jax.devices())',
  bitsandbytes:
    'import bitsandbytes as bnb, torch\nprint(bnb.__version__, torch.version.cuda)\nprint(bnb.nn.Linear8bitLt(4, 4).to("cuda"))',
  gpu: 'import subprocess\nprint(subprocess.run(["nvidia-smi"], capture_output=True, text=True).stdout or "nvidia-smi not found")'
};

/** Render a fix as notebook cell text: code, with its comments in the reader's language. */
export function renderCell(
  fixToRender: IFix,
  pipCommand: '%pip' | '!pip' = '%pip',
  tr: Translate = english
): string {
  const lines = [`# ${render(fixToRender.title, tr)}`];
  for (const { kind, text } of fixToRender.steps) {
    const step = { kind, text: render(text, tr) };
    if (step.kind === 'pip') {
      lines.push(`${pipCommand} ${step.text}`);
    } else if (step.kind === 'shell') {
      lines.push(`!${step.text}`);
    } else if (step.kind === 'python') {
      lines.push(step.text);
    } else if (step.kind === 'host') {
      lines.push(tr('# On the host, outside this notebook: %1', step.text));
    } else {
      lines.push(tr('# Then: %1 (Kernel > Restart Kernel)', step.text));
    }
  }
  return lines.join('\n');
}

/** Render a fix for a terminal (CLI output, container build files). */
export function renderShell(
  fixToRender: IFix,
  tr: Translate = english
): string {
  return fixToRender.steps
    .map(({ kind, text }) => ({ kind, text: render(text, tr) }))
    .map(step =>
      step.kind === 'pip'
        ? `python -m pip ${step.text}`
        : step.kind === 'shell'
          ? step.text
          : step.kind === 'python'
            ? `python - <<'EOF'\n${step.text}\nEOF`
            : `# ${step.text}`
    )
    .join('\n');
}
