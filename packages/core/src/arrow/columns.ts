import {
  Data, DataType, Dictionary, Field, FixedSizeList, Float32, Float64, Int16, Int32, Int8, Utf8,
  makeData, vectorFromArray, Type,
} from './apache-arrow.cjs';

/** The column kinds the contracts use. */
export type ColumnKind = 'int32' | 'int16' | 'float32' | 'float64' | 'utf8-dict' | 'list-float32' | 'list-float64' | 'list-int32';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

/** In-memory value of one column: flat typed array (lists, of a fixed size: rows * size values) or strings. */
export type ColumnValues = Int32Array | Int16Array | Float32Array | Float64Array | string[];

export function arrowType(kind: ColumnKind, listSize = 0): DataType {
  switch (kind) {
    case 'int32': return new Int32();
    case 'int16': return new Int16();
    case 'float32': return new Float32();
    case 'float64': return new Float64();
    case 'utf8-dict': return new Dictionary(new Utf8(), new Int8());
    case 'list-float32': return new FixedSizeList(listSize, new Field('item', new Float32(), false));
    case 'list-float64': return new FixedSizeList(listSize, new Field('item', new Float64(), false));
    case 'list-int32': return new FixedSizeList(listSize, new Field('item', new Int32(), false));
  }
}

/** The item type of a list kind. */
function itemType(kind: 'list-float32' | 'list-float64' | 'list-int32'): Float32 | Float64 | Int32 {
  return kind === 'list-float32' ? new Float32() : kind === 'list-float64' ? new Float64() : new Int32();
}

export function isFloatKind(kind: ColumnKind): boolean {
  return kind === 'float32' || kind === 'float64' || kind === 'list-float32' || kind === 'list-float64';
}

export function isListKind(kind: ColumnKind): kind is 'list-float32' | 'list-float64' | 'list-int32' {
  return kind === 'list-float32' || kind === 'list-float64' || kind === 'list-int32';
}

/** Builds the Arrow data of one column with no copy of numeric buffers. */
export function columnData(kind: ColumnKind, values: ColumnValues, rows: number, listSize = 0): Data {
  const type = arrowType(kind, listSize);
  if (kind === 'utf8-dict') return vectorFromArray(values as string[], type as Dictionary<Utf8, Int8>).data[0];
  if (isListKind(kind)) {
    const item = itemType(kind);
    const child = item instanceof Int32
      ? makeData({ type: item, length: rows * listSize, nullCount: 0, data: values as Int32Array })
      : makeData({ type: item, length: rows * listSize, nullCount: 0, data: values as Float32Array | Float64Array });
    return makeData({ type: type as FixedSizeList, length: rows, nullCount: 0, child });
  }
  return makeData({ type: type as Int32, length: rows, nullCount: 0, data: values as Int32Array });
}

/** Does an Arrow type match the kind a contract expects? */
export function typeMatches(kind: ColumnKind, type: DataType): boolean {
  switch (kind) {
    case 'int32': return type.typeId === Type.Int && (type as Int32).bitWidth === 32 && (type as Int32).isSigned;
    case 'int16': return type.typeId === Type.Int && (type as Int16).bitWidth === 16 && (type as Int16).isSigned;
    case 'float32': return type.typeId === Type.Float && (type as Float32).precision === 1;
    case 'float64': return type.typeId === Type.Float && (type as Float64).precision === 2;
    case 'utf8-dict': return type.typeId === Type.Dictionary && (type as Dictionary).dictionary.typeId === Type.Utf8;
    case 'list-float32':
    case 'list-float64': {
      if (type.typeId !== Type.FixedSizeList) return false;
      const child = (type as FixedSizeList).children[0].type;
      return child.typeId === Type.Float && (child as Float32).precision === (kind === 'list-float32' ? 1 : 2);
    }
    case 'list-int32': {
      if (type.typeId !== Type.FixedSizeList) return false;
      const child = (type as FixedSizeList).children[0].type;
      return child.typeId === Type.Int && (child as Int32).bitWidth === 32 && (child as Int32).isSigned;
    }
  }
}

export function describeKind(kind: ColumnKind): string {
  return {
    'int32': 'Int32', 'int16': 'Int16', 'float32': 'Float32', 'float64': 'Float64',
    'utf8-dict': 'Dictionary<Utf8>', 'list-float32': 'FixedSizeList<Float32>', 'list-float64': 'FixedSizeList<Float64>',
    'list-int32': 'FixedSizeList<Int32>',
  }[kind];
}
