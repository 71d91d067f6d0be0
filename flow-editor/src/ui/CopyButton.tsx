import { Icon } from './icons';
import { toast } from './toasts';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  return (
    <button
      type="button"
      className="btn small"
      onClick={() => void navigator.clipboard.writeText(text).then(() => toast('Copied'), () => toast('Select the text and copy it', 'error'))}
    >
      <Icon name="copy" /> {label}
    </button>
  );
}
