"""Made-up bank statements and UPI app reports for the bank-import tests, laid out as each bank
exports them (preamble, header row, transactions, footer), written as CSV, XLSX or XLS.

The people are invented. Every statement holds the same story, in its bank's own words:
- A (1-3 Mar 2025): Priya Sharma pays 1,250 by UPI (a UPI id the khata knows), the shop buys
  stock (a debit), Amit Kumar pays 500 (his phone inside his UPI id), Ravi Verma pays 300 (no
  customer yet: unmatched), Sunita Devi pays 2,000 by NEFT (her exact name).
- B (3-5 Mar 2025) overlaps A: Ravi's and Sunita's credits again, then Priya pays 700 and the
  shop pays a bill.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

UTR = {
    "priya": "506012345671",
    "amit": "506023456782",
    "ravi": "506034567893",
    "sunita": "SBIN525062345678",
    "priya2": "506145678904",
}
DAYS = {"1": datetime(2025, 3, 1), "2": datetime(2025, 3, 2), "3": datetime(2025, 3, 3),
        "4": datetime(2025, 3, 4), "5": datetime(2025, 3, 5)}  # fmt: skip


@dataclass(frozen=True)
class Txn:
    day: str
    who: str  # priya, amit, ravi, sunita, priya2; or "" for the shop's own debit
    rupees: float
    credit: bool = True


A = [
    Txn("1", "priya", 1250.0),
    Txn("1", "", 12000.0, credit=False),
    Txn("2", "amit", 500.0),
    Txn("3", "ravi", 300.0),
    Txn("3", "sunita", 2000.0),
]
B = [
    Txn("3", "ravi", 300.0),
    Txn("3", "sunita", 2000.0),
    Txn("4", "priya2", 700.0),
    Txn("5", "", 1845.5, credit=False),
]


def indian(rupees: float) -> str:
    whole, paise = f"{rupees:.2f}".split(".")
    if len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        whole = ",".join([head, *groups, tail])
    return f"{whole}.{paise}"


# ---- each bank's words --------------------------------------------------------------------
def hdfc(t: Txn, balance: float) -> list:
    words = {
        "priya": f"UPI-PRIYA SHARMA-priya.s@okaxis-UTIB0000553-{UTR['priya']}-Payment from Ph",
        "priya2": f"UPI-PRIYA SHARMA-priya.s@okaxis-UTIB0000553-{UTR['priya2']}-milk",
        "amit": f"UPI-AMIT KUMAR-9811122233@ybl-YESB0YBLUPI-{UTR['amit']}-UPI",
        "ravi": f"UPI-RAVI VERMA-ravi.v@oksbi-SBIN0003456-{UTR['ravi']}-UPI",
        "sunita": f"NEFT CR-SBIN0001234-SUNITA DEVI-MONTHLY KHATA-{UTR['sunita']}",
        "": "POS 416021XXXXXX1234 METRO CASH N CARRY",
    }
    ref = f"0000{UTR[t.who]}" if t.who in UTR and t.who != "sunita" else UTR.get(t.who, "0000")
    day = DAYS[t.day].strftime("%d/%m/%y")
    amount = indian(t.rupees)
    return [day, words[t.who], ref, day, "" if t.credit else amount,
            amount if t.credit else "", indian(balance)]  # fmt: skip


def sbi(t: Txn, balance: float) -> list:
    words = {
        "priya": f"BY TRANSFER-UPI/CR/{UTR['priya']}/PRIYA SHARMA/UTIB/priya.s@okaxis/Payment",
        "priya2": f"BY TRANSFER-UPI/CR/{UTR['priya2']}/PRIYA SHARMA/UTIB/priya.s@okaxis/milk",
        "amit": f"BY TRANSFER-UPI/CR/{UTR['amit']}/AMIT KUMAR/YESB/9811122233@ybl/UPI",
        "ravi": f"BY TRANSFER-UPI/CR/{UTR['ravi']}/RAVI VERMA/SBIN/ravi.v@oksbi/UPI",
        "sunita": f"BY TRANSFER-NEFT*SBIN0001234*{UTR['sunita']}*SUNITA DEVI*khata",
        "": "TO TRANSFER-UPI/DR/506099990001/METRO CASH/HDFC/metro.cc@hdfcbank/stock",
    }
    day = DAYS[t.day].strftime("%d %b %Y")
    amount = indian(t.rupees)
    return [day, day, words[t.who], "TRANSFER FROM 98765432101", "" if t.credit else amount,
            amount if t.credit else "", indian(balance)]  # fmt: skip


def icici(t: Txn, balance: float, number: int) -> list:
    words = {
        "priya": f"UPI/{UTR['priya']}/Payment from Ph/priya.s@okaxis/Axis Bank/AXI1a2b3c",
        "priya2": f"UPI/{UTR['priya2']}/milk/priya.s@okaxis/Axis Bank/AXI4d5e6f",
        "amit": f"UPI/{UTR['amit']}/UPI/9811122233@ybl/Yes Bank Ltd/YBL7a8b9c",
        "ravi": f"UPI/{UTR['ravi']}/UPI/ravi.v@oksbi/State Bank Of I/SBI0a1b2c",
        "sunita": f"NEFT-{UTR['sunita']}-SUNITA DEVI-khata-00000012345678-SBIN0001234",
        "": "BIL/ONL/000123456789/METRO CASH/Stock",
    }
    return [number, DAYS[t.day], DAYS[t.day], "", words[t.who],
            0.0 if t.credit else t.rupees, t.rupees if t.credit else 0.0, balance]  # fmt: skip


def axis(t: Txn, balance: float) -> list:
    words = {
        "priya": f"UPI/P2A/{UTR['priya']}/PRIYA SHARMA/Axis Bank/Payment",
        "priya2": f"UPI/P2A/{UTR['priya2']}/PRIYA SHARMA/Axis Bank/milk",
        "amit": f"UPI/P2A/{UTR['amit']}/AMIT KUMAR/YES BANK/UPI",
        "ravi": f"UPI/P2A/{UTR['ravi']}/RAVI VERMA/State Bank/UPI",
        "sunita": f"NEFT/{UTR['sunita']}/SUNITA DEVI/SBI/khata",
        "": "ECOM PUR/METRO CASH N CARRY/05-03-2025",
    }
    return [DAYS[t.day], "", words[t.who], None if t.credit else t.rupees,
            t.rupees if t.credit else None, balance, "1234"]  # fmt: skip


def kotak(t: Txn, balance: float, number: int) -> list:
    words = {
        "priya": f"UPI/PRIYA SHARMA/{UTR['priya']}/Payment from Ph",
        "priya2": f"UPI/PRIYA SHARMA/{UTR['priya2']}/milk",
        "amit": f"UPI/AMIT KUMAR/{UTR['amit']}/UPI",
        "ravi": f"UPI/RAVI VERMA/{UTR['ravi']}/UPI",
        "sunita": f"NEFT-{UTR['sunita']}-SUNITA DEVI",
        "": "PCD/1234/METRO CASH N CARRY/MUMBAI",
    }
    ref = f"UPI-{UTR[t.who]}" if t.who in UTR and t.who != "sunita" else ""
    day = DAYS[t.day].strftime("%d-%m-%Y")
    return [number, day, day, words[t.who], ref, indian(t.rupees),
            "CR" if t.credit else "DR", indian(balance), "CR"]  # fmt: skip


def phonepe(t: Txn, number: int) -> list:
    payer = {"priya": "priya.s@okaxis", "priya2": "priya.s@okaxis", "amit": "9811122233@ybl",
             "ravi": "ravi.v@oksbi", "sunita": "Sunita Devi", "": "9811100000@ybl"}  # fmt: skip
    rrn = UTR.get(t.who, "506188880000")
    when = DAYS[t.day].replace(hour=10, minute=number).strftime("%d-%m-%Y %H:%M:%S")
    kind = "PAYMENT" if t.credit else "REFUND"
    return [kind, f"ORD{number:05d}", f"T2503{number:016d}", payer[t.who], "UPI_REDEMPTION",
            when, when, DAYS[t.day].strftime("%d-%m-%Y"), rrn if t.who != "sunita" else
            "506077778888", f"{t.rupees:.2f}", "0.00", "0.00", "0.00", "0.00"]  # fmt: skip


def paytm(t: Txn, number: int) -> list:
    vpa = {"priya": "priya.s@okaxis", "priya2": "priya.s@okaxis", "amit": "9811122233@paytm",
           "ravi": "ravi.v@oksbi", "sunita": "", "": "9811100000@paytm"}  # fmt: skip
    name = {"sunita": "Sunita Devi", "ravi": "Ravi Verma"}.get(t.who, "")
    rrn = UTR.get(t.who, "506188880001") if t.who != "sunita" else "506077778889"
    when = DAYS[t.day].replace(hour=11, minute=number).strftime("%d/%m/%Y %H:%M:%S")
    return [when, f"ORDER{number}", f"2025030{number}1112223334445556", "SUCCESS" if t.credit
            else "REFUND", f"{t.rupees:.2f}", "UPI", vpa[t.who], name, rrn, when, "0.00",
            "0.00"]  # fmt: skip


def generic(t: Txn, balance: float) -> list:
    words = {
        "priya": f"UPI-PRIYA SHARMA-priya.s@okaxis-UTIB0000553-{UTR['priya']}-Payment",
        "priya2": f"UPI-PRIYA SHARMA-priya.s@okaxis-UTIB0000553-{UTR['priya2']}-milk",
        "amit": f"UPI-AMIT KUMAR-9811122233@ybl-YESB0YBLUPI-{UTR['amit']}-UPI",
        "ravi": f"UPI-RAVI VERMA-ravi.v@oksbi-SBIN0003456-{UTR['ravi']}-UPI",
        "sunita": f"NEFT CR-SBIN0001234-SUNITA DEVI-KHATA-{UTR['sunita']}",
        "": "CHQ PAID-000123-WHOLESALER",
    }
    day = DAYS[t.day].strftime("%d.%m.%Y")
    return [day, words[t.who], "" if t.credit else indian(t.rupees),
            indian(t.rupees) if t.credit else "", indian(balance)]  # fmt: skip


# ---- the files ----------------------------------------------------------------------------
LAYOUTS = {
    "hdfc": (["Date", "Narration", "Chq./Ref.No.", "Value Dt", "Withdrawal Amt.",
              "Deposit Amt.", "Closing Balance"],
             [["HDFC BANK Ltd."], ["Statement of account"], ["M/S SHARMA GENERAL STORE"],
              ["Account No", "50100123456789"], ["Statement From", "01/03/2025", "To",
              "05/03/2025"], []],
             [[], ["STATEMENT SUMMARY :-"], ["Opening Balance", "Dr Count", "Cr Count",
              "Debits", "Credits", "Closing Bal"], ["50,000.00", "1", "4", "12,000.00",
              "4,050.00", "42,050.00"], ["Generated On: 05-Mar-2025"]]),
    "sbi": (["Txn Date", "Value Date", "Description", "Ref No./Cheque No.", "Debit", "Credit",
             "Balance"],
            [["Account Name", ":", "SHARMA GENERAL STORE"], ["Account Number", ":",
             "00000030123456789"], ["IFS Code", ":", "SBIN0001234"], ["Balance as on 1 Mar 2025",
             ":", "50,000.00"], []],
            [["**This is a computer generated statement and does not require a signature"]]),
    "icici": (["S No.", "Value Date", "Transaction Date", "Cheque Number", "Transaction Remarks",
               "Withdrawal Amount (INR )", "Deposit Amount (INR )", "Balance (INR )"],
              [[None, "DETAILED STATEMENT"], [None, ("Transactions List - SHARMA GENERAL STORE "
               "(INR) - 123405001234")], []],
              [[], [None, "Legends Used in Account Statement"], [None, ("UPI - Unified Payments "
               "Interface")]]),
    "axis": (["Tran Date", "CHQNO", "PARTICULARS", "DR", "CR", "BAL", "SOL"],
             [["Name :- SHARMA GENERAL STORE"], [("Statement of Account No - 917020012345678 for "
              "the period (From : 01-03-2025 To : 05-03-2025)")], []],
             [["TRANSACTION TOTAL", None, None, 12000.0, 4050.0], ["CLOSING BALANCE", None, None,
              None, None, 42050.0], ["Unless the constituent notifies the bank immediately..."]]),
    "kotak": (["Sl. No.", "Transaction Date", "Value Date", "Description", "Chq / Ref No.",
               "Amount", "Dr / Cr", "Balance", "Dr / Cr"],
              [["Kotak Mahindra Bank"], ["Account Statement", "01-03-2025 to 05-03-2025"],
               ["Account No.", "1234567890"], []],
              [[], ["Opening Balance", "50,000.00"], ["Closing Balance", "42,050.00"]]),
    "phonepe": (["PaymentType", "MerchantReferenceId", "PhonePeReferenceId", "From",
                 "Instrument", "CreationDate", "TransactionDate", "SettlementDate",
                 "BankReferenceNo", "Amount", "Fee", "IGST", "CGST", "SGST"],
                [["Settlement report", "SHARMA GENERAL STORE"], ["MID", "M22SHARMASTORE"], []],
                [["Total", "", "", "", "", "", "", "", "", "4050.00"]]),
    "paytm": (["Transaction Date", "Order ID", "Transaction ID", "Status", "Amount",
               "Payment Mode", "Customer VPA", "Customer Name", "UTR No.", "Settled Date",
               "Commission", "GST"],
              [["Paytm for Business - Settlement Report"], ["Merchant", "SHARMA GENERAL STORE"],
               []],
              [["Grand Total", "", "", "", "4050.00"]]),
    "generic": (["Txn Dt", "Remarks", "Dr Amt", "Cr Amt", "Bal"],
                [["THE SAMPLE CO-OPERATIVE BANK LTD"], ["A/c 001234"]],
                [["End of statement"]]),
}  # fmt: skip
GENERIC_COLUMNS = "date=Txn Dt,narration=Remarks,credit=Cr Amt,debit=Dr Amt"


def rows(bank: str, story: list[Txn]) -> list[list]:
    header, preamble, footer = LAYOUTS[bank]
    body, balance = [], 50000.0
    for number, t in enumerate(story, start=1):
        balance += t.rupees if t.credit else -t.rupees
        if bank in ("icici", "kotak"):
            body.append(globals()[bank](t, balance, number))
        elif bank in ("phonepe", "paytm"):
            body.append(globals()[bank](t, number))
        else:
            body.append(globals()[bank](t, balance))
    return [*preamble, header, *body, *footer]


def write(path: Path, bank: str, story: list[Txn]) -> Path:
    """The statement as `path`'s suffix says: .csv, .xlsx (openpyxl) or .xls (xlwt)."""
    table = rows(bank, story)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for row in table:
            sheet.append(row if row else [None])
        book.save(path)
    elif path.suffix == ".xls":
        import xlwt

        book = xlwt.Workbook()
        sheet = book.add_sheet("Statement")
        dated = xlwt.easyxf(num_format_str="dd/mm/yyyy")
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write(r, c, value, dated)
                elif value is not None:
                    sheet.write(r, c, value)
        book.save(str(path))
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            for row in table:
                out.writerow(
                    [
                        value.strftime("%d/%m/%Y")
                        if isinstance(value, datetime)
                        else ""
                        if value is None
                        else value
                        for value in row
                    ]
                )
    return path
