/** TensorFlow: tf-cuda-libs-missing, tf-downgrade, tf-windows-native-gpu, tensorrt-missing. */
import { IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { Arg, IText, NONE, sentences, t } from '../text';
import { IFinding, IFix } from '../types';
import { compare, majorMinor, publicVersion } from '../versions';
import { tensorflowReleasesFor, tensorflowRow } from './frameworks';
import { hostedBaseline } from './hosted';

/** `tensorflow[and-cuda]==2.15.1` plus the tf-keras that goes with it (Keras 2 code on TF >= 2.16 needs tf-keras). */
/** TensorFlow with its CUDA libraries; `alongside`: the rest of the cell's arguments, kept. */
export function andCuda(version: string, alongside: string[] = []): IFix {
  const steps = [
    pip(
      ...alongside,
      `tensorflow[and-cuda]==${version}`,
      `tf-keras~=${majorMinor(version)}.0`
    )
  ];
  return fix(
    t(
      'Install TensorFlow %1 with the CUDA libraries it was built for',
      version
    ),
    ...steps,
    RESTART
  );
}

/** The CUDA runtime and cuDNN a CUDA build of TensorFlow loads that are not installed; null: not judged here. */
function missingLibraries(ctx: IContext): Arg[] | null {
  const tf = ctx.facts.frameworks.tensorflow;
  if (
    !tf ||
    !tf.is_cuda_build ||
    !tf.cuda ||
    ctx.os !== 'linux' ||
    !ctx.nvidiaPresent ||
    !ctx.scanned('libraries')
  ) {
    return null;
  }
  const cudaMajor = tf.cuda.split('.')[0];
  const cudnnMajor = (tf.cudnn ?? '').split('.')[0];
  const libs = ctx.facts.cuda.libraries;
  const runtime = libs.filter(
    l => l.kind === 'cudart' && l.version?.split('.')[0] === cudaMajor
  );
  const cudnn = libs.filter(
    l =>
      l.kind === 'cudnn' &&
      (!cudnnMajor || l.version?.split('.')[0] === cudnnMajor)
  );
  return [
    ...(runtime.length
      ? []
      : [t('CUDA runtime %1.x (libcudart.so.%1)', cudaMajor)]),
    ...(cudnn.length
      ? []
      : [`cuDNN ${cudnnMajor || tf.cudnn}.x (libcudnn.so.${cudnnMajor})`])
  ];
}

export function tfCudaLibs(ctx: IContext): IFinding[] {
  const tf = ctx.facts.frameworks.tensorflow!;
  const missing = missingLibraries(ctx);
  if (!missing?.length) {
    return [];
  }
  const libs = ctx.facts.cuda.libraries;
  const found = libs.filter(l => l.kind === 'cudnn' || l.kind === 'cudart');
  const baseline = hostedBaseline(ctx);
  const fixes: IFix[] = [];
  if (
    baseline?.tensorflow &&
    compare(baseline.tensorflow, publicVersion(tf.version)) > 0
  ) {
    fixes.push(
      fix(
        t("Go back to the runtime's TensorFlow %1", baseline.tensorflow),
        pip(`tensorflow==${baseline.tensorflow}`),
        RESTART
      )
    );
  }
  fixes.push(andCuda(publicVersion(tf.version)));
  const row = tensorflowRow(ctx, tf.version);
  // At most two: the CUDA runtime and cuDNN.
  const [first, second] = missing;
  const title: IText = second
    ? t('TensorFlow %1 cannot find %2 and %3', tf.version, first, second)
    : t('TensorFlow %1 cannot find %2', tf.version, first);
  const notInstalled: IText = second
    ? t(
        'TensorFlow %1 was built for CUDA %2 and cuDNN %3, but %4 and %5 are not installed.',
        tf.version,
        `${tf.cuda}`,
        `${tf.cudnn}`,
        first,
        second
      )
    : t(
        'TensorFlow %1 was built for CUDA %2 and cuDNN %3, but %4 is not installed.',
        tf.version,
        `${tf.cuda}`,
        `${tf.cudnn}`,
        first
      );
  return [
    {
      id: 'tf-cuda-libs-missing',
      severity: 'error',
      title,
      explanation: sentences(
        notInstalled,
        t(
          'It logs "Cannot dlopen some GPU libraries … Skipping registering GPU devices" and silently trains on the CPU.'
        )
      ),
      evidence: [
        {
          label: 'tensorflow',
          value: `${tf.version}: CUDA ${tf.cuda}, cuDNN ${tf.cudnn}`
        },
        ...found.map(l => ({
          label: t('%1 found', l.kind),
          value: `${l.version ?? '?'} (${l.source}: ${l.path})`
        })),
        ...(found.length
          ? []
          : [{ label: t('CUDA libraries found'), value: NONE }])
      ],
      fixes,
      verify: VERIFY.tensorflow,
      sources: row ? [row.source] : [],
      restart: true
    }
  ];
}

export function tfDowngrade(ctx: IContext): IFinding[] {
  const tf = ctx.facts.frameworks.tensorflow;
  const baseline = hostedBaseline(ctx);
  if (
    !tf ||
    !baseline?.tensorflow ||
    compare(publicVersion(tf.version), baseline.tensorflow) >= 0
  ) {
    return [];
  }
  const want = tensorflowRow(ctx, tf.version);
  const had = tensorflowRow(ctx, baseline.tensorflow);
  return [
    {
      id: 'tf-downgrade',
      // With the libraries it was built for, a downgraded TensorFlow runs: then this is a notice.
      severity: missingLibraries(ctx)?.length === 0 ? 'info' : 'warning',
      title: t(
        "TensorFlow was downgraded from the runtime's %1 to %2",
        baseline.tensorflow,
        tf.version
      ),
      explanation: sentences(
        had
          ? t(
              'This %1 runtime ships TensorFlow %2 (CUDA %3, cuDNN %4) and the CUDA libraries for it.',
              baseline.runtime,
              baseline.tensorflow,
              had.cuda,
              had.cudnn
            )
          : t(
              'This %1 runtime ships TensorFlow %2 and the CUDA libraries for it.',
              baseline.runtime,
              baseline.tensorflow
            ),
        want
          ? t(
              'TensorFlow %1 wants CUDA %2 and cuDNN %3: without its own CUDA set it cannot use the GPU.',
              tf.version,
              want.cuda,
              want.cudnn
            )
          : t(
              'TensorFlow %1: without its own CUDA set it cannot use the GPU.',
              tf.version
            )
      ),
      evidence: [
        {
          label: t('runtime'),
          value: `${baseline.runtime} (${baseline.date})`
        },
        { label: t('runtime TensorFlow'), value: baseline.tensorflow },
        { label: t('installed TensorFlow'), value: tf.version }
      ],
      fixes: [
        fix(
          t('Go back to TensorFlow %1', baseline.tensorflow),
          pip(`tensorflow==${baseline.tensorflow}`),
          RESTART
        ),
        andCuda(publicVersion(tf.version))
      ],
      verify: VERIFY.tensorflow,
      sources: [baseline.source, ...(want ? [want.source] : [])],
      restart: true
    }
  ];
}

export function tfWindowsNative(ctx: IContext): IFinding[] {
  const tf = ctx.facts.frameworks.tensorflow;
  const last = ctx.table.tensorflow.last_native_windows_gpu;
  if (
    !tf ||
    ctx.os !== 'windows' ||
    compare(majorMinor(tf.version), last) <= 0
  ) {
    return [];
  }
  // Releases with native Windows GPU builds this Python and driver take.
  const older = tensorflowReleasesFor(ctx);
  return [
    {
      id: 'tf-windows-native-gpu',
      severity: ctx.nvidiaPresent ? 'warning' : 'info',
      title: t(
        'TensorFlow %1 has no GPU support on native Windows',
        tf.version
      ),
      explanation: sentences(
        t(
          'TensorFlow %1 was the last release with GPU support on native Windows.',
          last
        ),
        older.length
          ? t(
              'Use WSL2 (where the Linux wheels and tensorflow[and-cuda] work), or TensorFlow %1.',
              older[0].version
            )
          : t(
              'Use WSL2 (where the Linux wheels and tensorflow[and-cuda] work); TensorFlow %1 has no wheel for Python %2.',
              last,
              majorMinor(ctx.facts.python.version || '0')
            )
      ),
      evidence: [
        {
          label: t('platform'),
          value: `${ctx.facts.platform.system} ${ctx.facts.platform.release ?? ''}`
        },
        { label: 'tensorflow', value: tf.version }
      ],
      // Least disturbing first: another release in this kernel, then moving to WSL2.
      fixes: [
        ...older
          .slice(0, 1)
          .map(row =>
            fix(
              t(
                'Install TensorFlow %1 (native Windows GPU support, a wheel for this Python)',
                row.version
              ),
              pip(`tensorflow==${row.version}.*`),
              RESTART
            )
          ),
        fix(t('Run TensorFlow in WSL2'), {
          kind: 'host',
          text: t(
            'install WSL2 with Ubuntu, and in it: pip install "tensorflow[and-cuda]" (the Windows driver serves the GPU inside WSL2); run Jupyter there.'
          )
        })
      ],
      verify: VERIFY.tensorflow,
      sources: [ctx.table.tensorflow.windows_source]
    }
  ];
}

export function tensorrtMissing(ctx: IContext): IFinding[] {
  const tf = ctx.facts.frameworks.tensorflow;
  // Only releases that look for TensorRT log "Could not find TensorRT" (none from 2.18 on).
  if (
    !tf?.is_cuda_build ||
    ctx.os !== 'linux' ||
    !ctx.nvidiaPresent ||
    !ctx.scanned('libraries') ||
    !tensorflowRow(ctx, tf.version)?.tensorrt
  ) {
    return [];
  }
  if (ctx.facts.cuda.libraries.some(l => l.kind === 'tensorrt')) {
    return [];
  }
  return [
    {
      id: 'tensorrt-missing',
      severity: 'info',
      title: t(
        'TensorRT is not installed: "Could not find TensorRT" is expected'
      ),
      explanation: sentences(
        t(
          'TensorFlow %1 looks for TensorRT (libnvinfer) at import and warns when it is missing.',
          tf.version
        ),
        t(
          'Only TF-TRT (tf.experimental.tensorrt) needs it; training and inference on the GPU work without it.'
        )
      ),
      evidence: [{ label: 'libnvinfer', value: t('not found') }],
      fixes: [],
      sources: []
    }
  ];
}
