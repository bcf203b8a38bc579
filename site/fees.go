package site

import (
	"github.com/shopspring/decimal"

	"github.com/lobby-community/lobby/internal/msg"
)

// checkFee checks that a disclosure adds up: each declared total equals the
// sum of its items, and the fund's opening balance plus income minus
// expense equals its closing balance. Errors are at the declared figure.
func checkFee(path string, fm *parsedFrontMatter, f *Fee) ErrorList {
	var errs ErrorList
	sum := func(items []FeeItem, key string) decimal.Decimal {
		total := decimal.Zero
		for i, it := range items {
			if !it.Amount.Set {
				line, col := fm.keyPos(key, i)
				errs.msgf(path, line, col, msgFeeNoAmount, key, i+1, it.Item)
			}
			total = total.Add(it.Amount.Value)
		}
		return total
	}
	in, out := sum(f.Income, "income"), sum(f.Expense, "expense")
	check := func(key string, declared Amount, got decimal.Decimal, what msg.Message) {
		if !declared.Set {
			line, col := fm.keyPos("title")
			errs.msgf(path, line, col, msgFeeTotalRequired, key, what.Text(), Amount{got, true})
			return
		}
		if !declared.Value.Equal(got) {
			line, col := fm.keyPos(key)
			errs.msgf(path, line, col, msgFeeTotalDiffers, key, declared, what.Text(), Amount{got, true})
		}
	}
	check("total_income", f.TotalIncome, in, msgIncomeItems)
	check("total_expense", f.TotalExpense, out, msgExpenseItems)
	if f.Fund.Opening.Set || f.Fund.Closing.Set {
		want := f.Fund.Opening.Value.Add(f.TotalIncome.Value).Sub(f.TotalExpense.Value)
		if !f.Fund.Closing.Value.Equal(want) {
			line, col := fm.keyPos("fund.closing")
			errs.msgf(path, line, col, msgFundDiffers, f.Fund.Closing, Amount{want, true})
		}
	}
	if f.Period == "" {
		line, col := fm.keyPos("title")
		errs.msgf(path, line, col, msgFeePeriod, "2026-Q3")
	}
	return errs
}
