// The shape of the results: sections of rows; a row holds, per column (a server or a
// reference such as local tar), either samples or the reason it could not be measured.
import { summarize } from './stats.mjs';

export class Row {
  /**
   * @param label what was measured
   * @param unit 'ms', 'MB/s', 'MiB', …
   * @param better 'lower' | 'higher'
   */
  constructor(label, unit, better, { target, commands = {}, digits } = {}) {
    this.label = label;
    this.unit = unit;
    this.better = better;
    this.target = target;
    this.commands = commands;
    this.digits = digits;
    this.samples = {};
    this.errors = {};
  }

  add(column, value) {
    (this.samples[column] ??= []).push(value);
  }

  fail(column, reason) {
    this.errors[column] ??= reason;
  }

  failed(column) {
    return this.errors[column] !== undefined;
  }

  /** Median (and friends) of a column, or undefined. */
  summary(column) {
    const values = this.samples[column];
    if (this.failed(column) || !values || values.length === 0) return undefined;
    return summarize(values);
  }

  toJSON() {
    const columns = {};
    for (const column of new Set([...Object.keys(this.samples), ...Object.keys(this.errors)])) {
      columns[column] = this.failed(column)
        ? { error: this.errors[column] }
        : { ...this.summary(column), samples: this.samples[column] };
    }
    return { label: this.label, unit: this.unit, better: this.better, target: this.target, commands: this.commands, digits: this.digits, columns };
  }

  static fromJSON(json) {
    const row = new Row(json.label, json.unit, json.better, { target: json.target, commands: json.commands, digits: json.digits });
    for (const [column, value] of Object.entries(json.columns)) {
      if (value.error !== undefined) row.fail(column, value.error);
      else for (const sample of value.samples ?? []) row.add(column, sample);
    }
    return row;
  }
}

export class Section {
  constructor(id, title, { columns, ratios = [], notes = [] }) {
    this.id = id;
    this.title = title;
    this.columns = columns;
    this.ratios = ratios;
    this.notes = notes;
    this.rows = [];
    this.commands = [];
  }

  row(...args) {
    const row = new Row(...args);
    this.rows.push(row);
    return row;
  }

  note(text) {
    this.notes.push(text);
  }

  command(text) {
    if (!this.commands.includes(text)) this.commands.push(text);
  }

  toJSON() {
    return {
      id: this.id, title: this.title, columns: this.columns, ratios: this.ratios,
      notes: this.notes, commands: this.commands, rows: this.rows.map((row) => row.toJSON()),
    };
  }

  /** Rebuilds a section from its JSON, so a report can be rendered again (--render). */
  static fromJSON(json) {
    const section = new Section(json.id, json.title, { columns: json.columns, ratios: json.ratios, notes: [...json.notes] });
    section.commands = [...json.commands];
    section.rows = json.rows.map((row) => Row.fromJSON(row));
    return section;
  }
}
