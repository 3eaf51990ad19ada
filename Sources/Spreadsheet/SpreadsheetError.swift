// The one error type of the spreadsheet engine; every refusal carries a zh-CN message for the user.

/// Why a file could not be read or written. `message` is shown to users as is.
public enum SpreadsheetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A legacy binary workbook (.xls, or WPS .et): OLE2 container.
    case legacyExcel
    /// A PDF (often a scanned, stamped roster) uploaded where a workbook is expected.
    case pdf
    /// Any other format we do not read; the associated value is a short description (extension or kind).
    case unsupportedFormat(String)
    /// The zip container is truncated, corrupt or uses a feature we refuse (encryption, unknown compression).
    case corruptArchive(String)
    /// A part decompressed beyond `ReadLimits.maxTotalBytes`, or a compression ratio beyond the limit.
    case tooLarge(String)
    /// More zip entries than `ReadLimits.maxEntries`.
    case tooManyEntries(Int)
    /// A DTD, entity declaration or undefined entity: refused to prevent XXE / billion laughs.
    case forbiddenXML(String)
    /// The XML of a part is not well-formed enough to read.
    case malformedXML(part: String, detail: String)
    /// The workbook has no worksheet.
    case emptyWorkbook
    /// The file has no bytes at all (an upload that lost its content, a file saved while still empty).
    case emptyFile
    /// The requested sheet does not exist.
    case sheetNotFound(String)
    /// A text (CSV) file in an encoding we cannot decode.
    case unreadableText
    /// More cells than `ReadLimits.maxCells` when reading a sheet into memory.
    case tooManyCells(Int)
    /// Reading or writing the file system failed.
    case io(String)
    /// The caller used the writer API wrongly (e.g. invalid sheet name, row after finish).
    case invalidArgument(String)

    static let saveAsHint = "请在 Excel/WPS 中“另存为” Excel 工作簿 (*.xlsx) 后重新上传"

    /// A one-line zh-CN message for the user.
    public var message: String {
        switch self {
        case .legacyExcel:
            return "不支持 .xls/.et 格式（或文件已加密）：\(Self.saveAsHint)"
        case .pdf:
            return "这是 PDF 文件，无法读取表格数据：\(Self.saveAsHint)"
        case .unsupportedFormat(let what):
            return "不支持的文件格式（\(what)）：\(Self.saveAsHint)"
        case .corruptArchive(let detail):
            return "文件已损坏或不完整，无法作为 .xlsx 读取（\(detail)）：\(Self.saveAsHint)"
        case .tooLarge(let detail):
            return "文件解压后过大，已拒绝读取（\(detail)）"
        case .tooManyEntries(let limit):
            return "文件内部条目过多（超过 \(limit) 个），已拒绝读取"
        case .forbiddenXML(let detail):
            return "文件包含不允许的 XML 内容（\(detail)），已拒绝读取"
        case .malformedXML(let part, let detail):
            return "文件内容格式错误（\(part)：\(detail)）：\(Self.saveAsHint)"
        case .emptyWorkbook:
            return "工作簿中没有工作表"
        case .emptyFile:
            return "文件是空的（0 字节），请选择填好的表格重新上传"
        case .sheetNotFound(let name):
            return "找不到工作表“\(name)”"
        case .unreadableText:
            return "无法识别文本文件编码（支持 UTF-8 与 GBK/GB18030）：\(Self.saveAsHint)"
        case .tooManyCells(let limit):
            return "工作表单元格过多（超过 \(limit) 个），已拒绝读取"
        case .io(let detail):
            return "读写文件失败（\(detail)）"
        case .invalidArgument(let detail):
            return "参数错误：\(detail)"
        }
    }

    public var description: String { message }
}
