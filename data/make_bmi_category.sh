#!/bin/sh
# Derives data/bmi_category.csv from data/bmi_data.csv: the BMI column replaced by its WHO category
# (underweight < 18.5, normal < 25, overweight < 30, obese ≥ 30; empty where BMI is missing).
# Usage: sh data/make_bmi_category.sh > data/bmi_category.csv
awk -F, 'BEGIN { OFS = "," }
NR == 1 { print $1, $2, $3, $4, "Category"; next }
{
    c = ""
    if ($5 != "") { b = $5 + 0; c = b < 18.5 ? "underweight" : b < 25 ? "normal" : b < 30 ? "overweight" : "obese" }
    print $1, $2, $3, $4, c
}' "$(dirname "$0")/bmi_data.csv"
