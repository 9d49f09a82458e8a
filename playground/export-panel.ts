/**
 * The share-and-export panel: a link to the page with its settings (the URL fragment carries the
 * whole configuration, url-state.ts), and the current net as files — its graph as SVG, its weights
 * as deltagraph's JSON (loadModelJson reads it back) and as safetensors in PyTorch's names and
 * layouts (torch's load_file and a torch.nn.Sequential of the same layers read it). Each file's
 * name says the data set and the optimizer steps taken, so that downloads of one run sort together.
 */
import { modelToJson, saveSafetensors } from 'deltagraph';
import { widthsOf } from './config';
import { graphSvg } from './graph-panel';
import type { Panel, PlaygroundHost, Session } from './host';

/** deltagraph-playground-xor-120-steps: the start of every file name, for the session as it is now. */
function baseName(session: Session): string {
  return `deltagraph-playground-${session.config.dataset}-${session.steps}-steps`;
}

/** Saves `data` as a file called `name` through a temporary link (the browser's download). */
function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the URL is released a little later for browsers that read it asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The configuration and the training state as strings by name: safetensors' metadata holds only strings. */
function metadataOf(session: Session): Record<string, string> {
  return {
    format: 'pt',
    producer: 'deltagraph playground',
    layers: widthsOf(session.config).join('-'),
    steps: String(session.steps),
    config: JSON.stringify(session.config),
  };
}

interface Action {
  id: string;
  label: string;
  description: string;
  /** Takes long enough (Graphviz) that the button is disabled meanwhile, against a second click. */
  slow?: boolean;
  run(): void | Promise<void>;
}

export function mountExportPanel(root: HTMLElement, host: PlaygroundHost): Panel {
  root.classList.add('export');

  const linkLabel = document.createElement('label');
  linkLabel.className = 'export-link';
  linkLabel.textContent = 'Link to these settings';
  const linkBox = document.createElement('input');
  linkBox.id = 'export-link';
  linkBox.type = 'text';
  linkBox.readOnly = true;
  linkBox.spellcheck = false;
  linkBox.value = location.href;
  linkLabel.append(linkBox);

  async function copyLink(): Promise<void> {
    linkBox.value = location.href;
    try {
      if (navigator.clipboard === undefined) throw new Error('no clipboard');
      await navigator.clipboard.writeText(location.href);
      host.status('Link copied: opening it shows these settings (the weights are not in it; export them as a file).');
    } catch {
      // A page opened as a file, or without the permission, has no clipboard: the user copies the selection.
      linkBox.focus();
      linkBox.select();
      host.status('The browser did not let the page copy: the link is selected in the box; copy it with Ctrl+C (⌘C on a Mac).');
    }
  }

  const actions: Action[] = [
    {
      id: 'export-copy-link',
      label: 'Copy link',
      description: 'The address of this page with every setting in it (data, net, optimizer, seed, formula), to share or bookmark.',
      run: copyLink,
    },
    {
      id: 'export-svg',
      label: 'Graph as SVG',
      slow: true,
      description: "The computational graph of one forward pass over the training set, each edge labelled with its shape and ‖∂L/∂t‖, as the graph panel draws it.",
      async run() {
        const session = host.session();
        const svg = await graphSvg(session);
        download(`${baseName(session)}-graph.svg`, svg, 'image/svg+xml');
        host.status(`Saved the graph of the net at step ${session.steps} as SVG.`);
      },
    },
    {
      id: 'export-json',
      label: 'Weights as JSON',
      description: "Every weight and bias, exact (float64), in deltagraph's format, with the playground's settings: loadModelJson reads it back into an MLP of the same layers.",
      run() {
        const session = host.session();
        const text = modelToJson(session.model, { playground: session.config, layers: widthsOf(session.config), steps: session.steps });
        download(`${baseName(session)}.json`, text, 'application/json');
        host.status(`Saved the weights at step ${session.steps} as JSON.`);
      },
    },
    {
      id: 'export-safetensors',
      label: 'Weights as safetensors',
      description: "The same weights, exact (F64), in PyTorch's names and layouts (0.weight is W transposed, 0.bias, 2.weight, …), with the settings as metadata: torch.nn.Sequential of the same layers loads them.",
      run() {
        const session = host.session();
        const bytes = saveSafetensors(session.model.stateDict(), metadataOf(session), { dtype: 'float64' });
        // saveSafetensors allocates a plain ArrayBuffer (never a shared one), which a Blob takes.
        download(`${baseName(session)}.safetensors`, bytes as Uint8Array<ArrayBuffer>, 'application/octet-stream');
        host.status(`Saved the weights at step ${session.steps} as safetensors.`);
      },
    },
  ];

  const list = document.createElement('ul');
  list.className = 'export-actions';
  for (const action of actions) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.id = action.id;
    button.type = 'button';
    button.textContent = action.label;
    const description = document.createElement('span');
    description.id = `${action.id}-help`;
    description.className = 'help';
    description.textContent = action.description;
    button.setAttribute('aria-describedby', description.id);
    button.addEventListener('click', () => {
      if (button.disabled) return;
      if (action.slow === true) button.disabled = true;
      Promise.resolve()
        .then(() => action.run())
        .catch((e: unknown) => host.status(`${action.label} did not work: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          button.disabled = false;
        });
    });
    item.append(button, description);
    list.append(item);
  }
  root.append(list, linkLabel);

  return {
    refresh(): void {
      // The settings change the URL: the box shows the link as it is now.
      if (linkBox.value !== location.href) linkBox.value = location.href;
    },
  };
}
