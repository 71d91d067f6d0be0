import { useEffect, useRef, useState } from 'react';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
declare global {
  interface Window {
    BarcodeDetector?: new (options: { formats: string[] }) => BarcodeDetectorLike;
  }
}

const formats = ['qr_code', 'code_128', 'code_39', 'ean_13'];

/** Reads a QR code or barcode from the camera: the browser's BarcodeDetector, or zxing where there is none. */
export default function Scanner({ onCode }: { onCode(value: string): void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let stop = () => {};
    const found = (value: string) => {
      if (stopped) return;
      stopped = true;
      stop();
      onCode(value);
    };
    (async () => {
      try {
        if (window.BarcodeDetector) {
          const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
          stop = () => stream.getTracks().forEach((t) => t.stop());
          if (stopped) return stop();
          video.current!.srcObject = stream;
          await video.current!.play();
          const detector = new window.BarcodeDetector({ formats });
          const tick = async () => {
            if (stopped) return;
            const codes = await detector.detect(video.current!).catch(() => []);
            if (codes[0]) found(codes[0].rawValue);
            else requestAnimationFrame(() => void tick());
          };
          void tick();
        } else {
          const { BrowserMultiFormatReader } = await import('@zxing/browser');
          const controls = await new BrowserMultiFormatReader().decodeFromVideoDevice(undefined, video.current!, (result) => result && found(result.getText()));
          stop = () => controls.stop();
          if (stopped) stop();
        }
      } catch (e) {
        setError(e instanceof Error && e.name === 'NotAllowedError' ? 'Allow the camera for this site, or type the code.' : 'No camera available here. Type the code instead.');
      }
    })();
    return () => {
      stopped = true;
      stop();
    };
  }, [onCode]);

  return (
    <div className="scanner stack tight">
      {error ? <div className="alert">{error}</div> : <video ref={video} muted playsInline />}
    </div>
  );
}
