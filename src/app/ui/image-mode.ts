/**
 * The reader's image preference as React context, provided by the layout. Apart from remote-images.ts:
 * that module needs the sanitizer, and importing it from the layout put DOMPurify (8 KB gzip) into the
 * code every first visit downloads.
 */
import { createContext } from 'react';
import type { ImageMode } from './prefs.ts';

/** Without a provider, nothing loads unasked. */
export const ImageModeContext = createContext<ImageMode>('click');
